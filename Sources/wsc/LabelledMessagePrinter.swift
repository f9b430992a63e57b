/// Listen mode's stdout: every line of a client's message starts with `[N] ` (the client's
/// number, as in its "client N connected" line), after `HH:MM:SS.mmm ` with --timestamps, so
/// that with several clients each line says who sent it and stdout stays one line per record.
/// --pretty re-indents JSON over several lines, each labelled. Binary follows --binary-format
/// like the client (a hex line on a pipe, a dump on a terminal, base64); raw bytes (-b, or
/// --binary-format raw) are written as they came, unlabelled, since a label would corrupt them.
struct LabelledMessagePrinter {
    let out: OutputBuffer
    let binaryDisplay: BinaryDisplay
    let timestamps: Bool
    let pretty: Bool
    private let json = JSONPrettyPrinter()

    init(out: OutputBuffer, binaryDisplay: BinaryDisplay, timestamps: Bool, pretty: Bool) {
        self.out = out
        self.binaryDisplay = binaryDisplay
        self.timestamps = timestamps
        self.pretty = pretty
    }

    func printText(_ utf8: [UInt8], client: Int) {
        let shown = pretty ? (json.format(utf8) ?? utf8) : utf8
        printLines(shown, client: client)
    }

    func printBinary(_ bytes: [UInt8], client: Int) {
        guard let shown = binaryDisplay.rendered(bytes) else {
            out.append(bytes)
            return
        }
        printLines(shown, client: client)
    }

    /// `bytes` cut at LF, each piece labelled and ended with LF.
    private func printLines(_ bytes: [UInt8], client: Int) {
        let label = Array(((timestamps ? Timestamp.now() + " " : "") + "[\(client)] ").utf8)
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            out.append(label)
            out.append(Array(line))
            out.append(byte: 0x0A)
        }
    }
}
