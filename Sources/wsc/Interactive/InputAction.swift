import WebSocketCore

/// What a line entered at the interactive prompt asks for. Pure: parsing only, no I/O, so the
/// command syntax is unit-tested.
enum InputAction: Equatable, Sendable {
    /// Send this text message.
    case sendText(String)
    /// Run a slash command.
    case run(SlashCommand)
    /// Send nothing and show this hint (an unknown command, a malformed argument).
    case reject(String)
    /// An empty line: nothing is sent.
    case ignore

    /// The largest payload of a control frame (ping, pong): RFC 6455 5.5.
    static let maxControlPayload = 125
    /// The longest close reason: 125 bytes less the two of the code.
    static let maxCloseReason = 123

    /// Reads one entered line. With `slashCommands` off, every non-empty line is text.
    init(line: String, slashCommands: Bool) {
        if line.isEmpty {
            self = .ignore
            return
        }
        guard slashCommands, line.hasPrefix("/") else {
            self = .sendText(line)
            return
        }
        let body = line.dropFirst()
        if body.hasPrefix("/") {
            self = .sendText(String(body))
            return
        }
        let name = body.prefix { $0 != " " && $0 != "\t" }
        let argument = Self.trimmed(body.dropFirst(name.count))
        self = Self.command(named: name.lowercased(), argument: argument)
    }

    private static func command(named name: String, argument: Substring) -> InputAction {
        switch name {
        case "ping", "pong":
            let payload = Array(argument.utf8)
            guard payload.count <= maxControlPayload else {
                return .reject("/\(name): the data may be at most \(maxControlPayload) bytes, not \(payload.count)")
            }
            return .run(name == "ping" ? .ping(payload) : .pong(payload))
        case "close":
            return closeCommand(argument)
        case "binary":
            return binaryCommand(argument)
        case "help", "quit":
            guard argument.isEmpty else { return .reject("/\(name) takes no arguments") }
            return .run(name == "help" ? .help : .quit)
        case "":
            return .reject("nothing sent: a command name must follow '/' (see /help; // sends a line starting with /)")
        default:
            return .reject("unknown command /\(name), nothing sent (see /help; // sends a line starting with /)")
        }
    }

    private static func closeCommand(_ argument: Substring) -> InputAction {
        if argument.isEmpty { return .run(.close(code: CloseCode.normalClosure, reason: "")) }
        let codeText = argument.prefix { $0 != " " && $0 != "\t" }
        let reason = String(trimmed(argument.dropFirst(codeText.count)))
        guard let code = UInt16(codeText), CloseCode.isValidReceived(code) else {
            return .reject("/close: '\(codeText)' is not a close code that may be sent (1000–1003, 1007–1014, 3000–4999)")
        }
        guard reason.utf8.count <= maxCloseReason else {
            return .reject("/close: the reason may be at most \(maxCloseReason) bytes, not \(reason.utf8.count)")
        }
        return .run(.close(code: code, reason: reason))
    }

    private static func binaryCommand(_ argument: Substring) -> InputAction {
        if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            guard !path.isEmpty else { return .reject("/binary @file: the file name is missing") }
            return .run(.binary(.file(path)))
        }
        guard !argument.isEmpty else {
            return .reject("/binary needs hex bytes (e.g. /binary 48 65 6c 6c 6f) or @file")
        }
        guard let bytes = parseHex(argument) else {
            return .reject("/binary: '\(argument)' is not hex bytes (pairs of 0-9 a-f, optionally 0x-prefixed, spaces allowed)")
        }
        return .run(.binary(.bytes(bytes)))
    }

    /// Hex bytes in groups separated by spaces or tabs; each group an even number of digits,
    /// optionally after `0x`. No groups at all is no bytes (`-b -x hex:` sends an empty
    /// message, like `base64:`); `/binary` refuses an empty argument before asking.
    static func parseHex(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        for group in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            var digits = group.utf8[...]
            if digits.starts(with: "0x".utf8) || digits.starts(with: "0X".utf8) { digits = digits.dropFirst(2) }
            guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
            var high: UInt8?
            for character in digits {
                guard let value = hexValue(character) else { return nil }
                if let first = high {
                    bytes.append(first << 4 | value)
                    high = nil
                } else {
                    high = value
                }
            }
        }
        return bytes
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
