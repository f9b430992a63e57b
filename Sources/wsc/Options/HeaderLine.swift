import ArgumentParser
import WebSocketCore

/// `-H 'Name: value'`: a request header line, checked when it is parsed (by the rules the
/// handshake sends by, `HTTPHeaders.field(parsing:)`).
struct HeaderLine: Equatable, ExpressibleByArgument {
    var name: String
    var value: String

    init?(argument text: String) {
        guard let (name, value) = HTTPHeaders.field(parsing: text) else { return nil }
        self.name = name
        self.value = value
    }
}
