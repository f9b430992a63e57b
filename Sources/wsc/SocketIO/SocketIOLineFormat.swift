import WebSocketCore
import SocketIO

/// The text formats of `--socketio`: how a line becomes an emit, and how events and ack
/// replies are shown. The input and the plain output format are the same, so `wsc --socketio`
/// output can be fed back to it.
///
/// Input (a stdin line, a `-x` message, a line typed in the REPL):
/// - `chat {"a":1}`: emit `chat`; after the name (up to the first space) comes a sequence of
///   JSON values separated by spaces, one per argument: `move 1 2` emits two arguments,
///   `list [1,2]` one array.
/// - `"two words" 1`: a name in JSON quotes may contain spaces; `"ping"` alone emits `ping`
///   with no arguments.
/// - Any other line (one word, or words that are not JSON: `hello world`) emits to the default
///   event `message` with the whole line as one string argument.
/// - `ack 3 JSON...`: answers the server's request for acknowledgement 3 (an event shown with
///   `[ack 3]`) with those arguments (none: `ack 3`). An event named `ack` is written `"ack" ...`.
/// - Binary: `{"$binary":"AAEC/w=="}` (base64) or `{"$hex":"000102ff"}` anywhere in the
///   arguments is sent as a binary attachment (a BINARY_EVENT or BINARY_ACK).
///
/// Output: `chat {"a":1}` (pipe and one-shot, on stdout), `chat: {"a":1}` in the interactive
/// session, which shows it as `< chat: {"a":1}` like its other incoming lines; the arguments as
/// compact JSON separated by spaces; an event without arguments prints as its quoted name
/// (`"ping"`), which reads back as the same event. An event the server wants acknowledged ends
/// with ` [ack ID]`. Ack replies: `ack 1: "ok"` in both (`< ack 1: "ok"` on the interactive
/// screen). Binary attachments are shown where their placeholders were, as `{"$binary":"…"}`
/// (base64) or `{"$hex":"…"}` per `--binary-format`, the same form the input takes.
enum SocketIOLineFormat {
    /// The event a line without a JSON part is sent to.
    static let defaultEvent = "message"

    enum Style {
        /// `name args`: one line per event on stdout, the same format as the input.
        case plain
        /// `name: args`: for the interactive session, which puts `< ` in front.
        case prompt
    }

    struct Emit: Equatable {
        var event: String
        var arguments: [JSONValue]
    }

    /// `ack ID JSON...`: the answer to the server's request `id`.
    struct Answer: Equatable {
        var id: Int
        var arguments: [JSONValue]
    }

    /// How binary attachments are written in the JSON of a line.
    enum BinaryForm {
        /// `{"$binary":"AAEC/w=="}`
        case base64
        /// `{"$hex":"000102ff"}`
        case hex
    }

    static let base64Key = "$binary"
    static let hexKey = "$hex"

    /// A line that starts with a quoted name but is not valid (bad JSON after it).
    struct InputError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ line: String) throws(InputError) -> Emit {
        if line.hasPrefix("\"") {
            let values: [JSONValue]
            do {
                values = try JSONParser.parseSequence(line)
            } catch {
                throw InputError(description: "a line starting with '\"' must be a JSON event name and JSON arguments: \(error)")
            }
            guard let name = values.first?.stringValue else {
                throw InputError(description: "a line starting with '\"' must start with the event name as a JSON string")
            }
            return Emit(event: name, arguments: Array(values.dropFirst()))
        }
        if let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) {
            let name = String(line[..<space])
            let rest = String(line[line.index(after: space)...])
            if !name.isEmpty, let arguments = try? JSONParser.parseSequence(rest), !arguments.isEmpty {
                return Emit(event: name, arguments: arguments)
            }
        }
        return Emit(event: defaultEvent, arguments: [.string(line)])
    }

    /// `ack ID [JSON...]`, or nil when the line is not an answer (then it is an emit).
    static func parseAnswer(_ line: String) throws(InputError) -> Answer? {
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count >= 2, words[0] == "ack", !words[1].isEmpty,
              words[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let id = Int(words[1]) else { return nil }
        guard words.count == 3 else { return Answer(id: id, arguments: []) }
        do {
            return Answer(id: id, arguments: try JSONParser.parseSequence(String(words[2])))
        } catch {
            throw InputError(description: "after 'ack \(id)' come the answer's arguments as JSON values: \(error)")
        }
    }

    /// The bytes of a binary marker (`{"$binary":"…"}` or `{"$hex":"…"}`, nothing else in the
    /// object); nil for any other value.
    static func attachmentBytes(_ value: JSONValue) throws(InputError) -> [UInt8]? {
        guard case let .object(members) = value, members.count == 1 else { return nil }
        let member = members[0]
        guard member.key == base64Key || member.key == hexKey else { return nil }
        guard let text = member.value.stringValue else {
            throw InputError(description: "\(member.key) takes a string of \(member.key == base64Key ? "base64" : "hex")")
        }
        if member.key == base64Key {
            guard let bytes = Base64.decode(text) else {
                throw InputError(description: "{\"$binary\":…} is not valid base64: \(JSONStringEscaper.quoted(text))")
            }
            return bytes
        }
        guard let bytes = InputAction.parseHex(text[...]) else {
            throw InputError(description: "{\"$hex\":…} is not hex bytes (pairs of 0-9 a-f): \(JSONStringEscaper.quoted(text))")
        }
        return bytes
    }

    /// A received attachment as it is shown in place of its placeholder.
    static func binary(_ bytes: [UInt8], form: BinaryForm) -> JSONValue {
        switch form {
        case .base64: return .object([(base64Key, .string(Base64.encode(bytes)))])
        case .hex: return .object([(hexKey, .string(String(decoding: HexFormatting.line(bytes), as: UTF8.self)))])
        }
    }

    /// An event name as it is written: bare when it reads back as the same name, else quoted.
    static func name(_ event: String) -> String {
        let bare = !event.isEmpty && !event.hasPrefix("\"")
            && !event.contains(where: { $0 == " " || $0 == "\t" || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
        return bare ? event : JSONStringEscaper.quoted(event)
    }

    static func arguments(_ values: [JSONValue]) -> String {
        values.map(\.serialized).joined(separator: " ")
    }

    /// An incoming event; `ackID`: the server asks for an acknowledgement with this id.
    static func event(_ event: String, _ values: [JSONValue], ackID: Int? = nil, style: Style) -> String {
        let request = ackID.map { " [ack \($0)]" } ?? ""
        switch style {
        case .plain:
            // Without arguments the name is quoted: a bare word reads back as a `message` emit.
            return (values.isEmpty ? JSONStringEscaper.quoted(event) : name(event) + " " + arguments(values)) + request
        case .prompt:
            return name(event) + ":" + (values.isEmpty ? "" : " " + arguments(values)) + request
        }
    }

    /// The answer to one of our emits (`--ack`).
    static func ack(id: Int, _ values: [JSONValue], style: Style) -> String {
        "ack \(id):" + (values.isEmpty ? "" : " " + arguments(values))
    }
}
