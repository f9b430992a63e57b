import ArgumentParser
import WebSocketTransport

/// `-H 'Name: value'`: a request header line, checked when it is parsed.
struct HeaderLine: Equatable, ExpressibleByArgument {
    var field: HTTPHeaderField

    init?(argument text: String) {
        guard let field = HTTPHeaderField(parsing: text) else { return nil }
        self.field = field
    }
}
