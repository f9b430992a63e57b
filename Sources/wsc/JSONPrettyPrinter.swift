import SocketIO

/// Re-indents JSON for `--pretty`, without Foundation: it reads the text with `JSONTokenizer`
/// (the reader Socket.IO uses, so both agree on what is JSON), copies every string and number
/// byte for byte (escapes and number spellings are kept as sent), drops the whitespace between
/// tokens and writes its own.
///
/// Only objects and arrays are reformatted; for anything else, or anything that is not JSON
/// (trailing text, a bad escape, nesting deeper than `JSONTokenizer.maxDepth`), it returns nil
/// and the message is shown as it arrived.
struct JSONPrettyPrinter {
    /// Spaces per level.
    var indent = 2

    func format(_ input: [UInt8]) -> [UInt8]? {
        var tokenizer = JSONTokenizer(input, mode: .single)
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 2)
        var justOpened = false
        do {
            while let token = try tokenizer.next() {
                let opens: Bool, closes: Bool
                switch token.kind {
                case .beginObject, .beginArray: (opens, closes) = (true, false)
                case .endObject, .endArray: (opens, closes) = (false, true)
                default: (opens, closes) = (false, false)
                }
                guard opens || !output.isEmpty else { return nil }  // a scalar alone is left as it is
                // The nesting level the token is written at: a bracket at its container's.
                let level = opens ? tokenizer.depth - 1 : tokenizer.depth
                // An empty container stays on one line (`[]`, `{}`); anything else starts one.
                if justOpened != closes { newline(level, into: &output) }
                justOpened = opens
                switch token.kind {
                case .valueSeparator:
                    output.append(UInt8(ascii: ","))
                    newline(level, into: &output)
                case .nameSeparator:
                    output.append(contentsOf: ": ".utf8)
                case .beginObject, .beginArray, .endObject, .endArray:
                    output.append(input[token.range.lowerBound])
                case .memberName, .string, .number, .true, .false, .null:
                    output.append(contentsOf: input[token.range])
                }
            }
        } catch {
            return nil
        }
        return output
    }

    private func newline(_ depth: Int, into output: inout [UInt8]) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indent))
    }
}
