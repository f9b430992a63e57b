/// How the interactive session shows what arrives: `< ` before the first line of a message and
/// two spaces before its continuation lines, so every message stands out as one block; an
/// optional `HH:MM:SS.mmm ` in front (`--timestamps`, continuation lines indented to match);
/// JSON re-indented with `--pretty`; control characters from the peer made visible; colours
/// per `style`. Pure: the time is passed in.
struct IncomingMessageFormatter {
    var pretty: Bool
    var style: TerminalStyle
    private let json = JSONPrettyPrinter()

    init(pretty: Bool, style: TerminalStyle) {
        self.pretty = pretty
        self.style = style
    }

    /// A text message (valid UTF-8, checked by the connection).
    func text(_ utf8: [UInt8], timestamp: String? = nil) -> String {
        let shown = pretty ? (json.format(utf8) ?? utf8) : utf8
        // Split on the bytes: as Characters, "\r\n" is one grapheme and no "\n".
        var lines = shown.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            // CRLF line ends are line ends; any other carriage return is shown.
            let content = line.last == 0x0D ? line.dropLast() : line
            return TerminalSafeText.sanitize(String(decoding: content, as: UTF8.self)[...])
        }
        if lines.isEmpty { lines = [""] }
        return block(lines, timestamp: timestamp)
    }

    /// `< <binary N bytes>` and a hex dump.
    func binary(_ bytes: [UInt8], timestamp: String? = nil) -> String {
        var lines = ["<binary \(bytes.count) byte\(bytes.count == 1 ? "" : "s")>"]
        lines += HexFormatting.dump(bytes).split(separator: "\n").map(String.init)
        return block(lines, timestamp: timestamp)
    }

    /// `< ping: data`, `< pong` and the like (`-P`, `/ping`): one line.
    func control(_ text: String, timestamp: String? = nil) -> String {
        block([TerminalSafeText.sanitize(text[...])], timestamp: timestamp)
    }

    private func block(_ lines: [String], timestamp: String?) -> String {
        let stamp = timestamp.map { $0 + " " } ?? ""
        let indent = String(repeating: " ", count: stamp.count + 2)
        var result = ""
        for (index, line) in lines.enumerated() {
            result += style.incoming((index == 0 ? stamp + "< " : indent) + line) + "\n"
        }
        return result
    }
}

extension TerminalStyle {
    /// A style with colours on or off regardless of the stream (tests).
    init(enabled: Bool) {
        self.enabled = enabled
    }
}
