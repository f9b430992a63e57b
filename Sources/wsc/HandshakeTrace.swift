/// `-v`: the handshake's request and response heads as curl shows them (`> ` out, `< ` in),
/// with the values of headers that carry secrets replaced by `<masked>`.
enum HandshakeTrace {
    /// Headers whose values are secrets.
    static let maskedHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]

    /// One head (request line or status line, then headers) as prefixed lines, each ending in a newline.
    static func lines(_ head: [String], prefix: String) -> String {
        head.map { prefix + masked($0) + "\n" }.joined()
    }

    /// A header line with its value masked when it is a secret; any other line unchanged.
    /// `Authorization` keeps its scheme: `Authorization: Basic <masked>`.
    static func masked(_ line: String) -> String {
        guard let colon = line.firstIndex(of: ":") else { return line }
        let name = line[..<colon]
        guard maskedHeaders.contains(name.lowercased()) else { return line }
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        var shown = "<masked>"
        if name.lowercased().hasSuffix("authorization"), let space = value.firstIndex(of: " ") {
            shown = value[..<space] + " <masked>"
        } else if value.isEmpty {
            shown = ""
        }
        return name + ": " + shown
    }
}
