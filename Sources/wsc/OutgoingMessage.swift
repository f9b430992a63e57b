import WebSocketCore

/// A message given on the command line (`-x`), ready to send.
struct OutgoingMessage: Equatable {
    var payload: [UInt8]
    var binary: Bool

    /// `-x VALUE`: text as it is; with `-b` binary, where `hex:` and `base64:` prefixes give the
    /// bytes in those notations (hex may have spaces and a 0x per group) and anything else is
    /// sent as its UTF-8 bytes.
    init(argument: String, binary: Bool) throws(SetupError) {
        self.binary = binary
        guard binary else {
            payload = Array(argument.utf8)
            return
        }
        if argument.hasPrefix("hex:") {
            let digits = argument.dropFirst(4)
            guard let bytes = InputAction.parseHex(digits) else {
                throw SetupError(status: .invalidInput, description: """
                    -x '\(argument)': after hex: comes an even number of hex digits (0-9, a-f; spaces and 0x \
                    allowed between groups)
                    """)
            }
            payload = bytes
        } else if argument.hasPrefix("base64:") {
            guard let bytes = Base64.decode(String(argument.dropFirst(7))) else {
                throw SetupError(status: .invalidInput, description: """
                    -x '\(argument)': after base64: comes standard base64 (A-Z a-z 0-9 + /, padded with = to a \
                    multiple of 4)
                    """)
            }
            payload = bytes
        } else {
            payload = Array(argument.utf8)
        }
    }

    /// The largest `--file` accepted: the whole file is held in memory, then framed.
    static let fileSizeLimit = 1 << 30

    /// `--file PATH`: the file's bytes as one message, `-` for all of stdin. Without `-b` it
    /// must be valid UTF-8 (a text message); errors name the file and exit 9 like bad input.
    init(file path: String, binary: Bool) throws(SetupError) {
        let name = path == "-" ? "stdin" : path
        do {
            payload = path == "-"
                ? try FileContents.read(descriptor: 0, name: name, limit: Self.fileSizeLimit)
                : try FileContents.read(path, limit: Self.fileSizeLimit)
        } catch {
            throw SetupError(status: .invalidInput, description: "--file: \(error)")
        }
        self.binary = binary
        if !binary && !payload.withUnsafeBytes({ UTF8Validator.isValid($0) }) {
            throw SetupError(status: .invalidInput, description: """
                --file \(name) is not valid UTF-8 text (use -b to send it as a binary message)
                """)
        }
    }

    init(payload: [UInt8], binary: Bool) {
        self.payload = payload
        self.binary = binary
    }
}
