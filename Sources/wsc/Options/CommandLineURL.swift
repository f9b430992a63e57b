import WebSocketCore

extension WebSocketURL {
    /// The URL as typed on the command line: without a scheme (`localhost:8080/chat`) it is
    /// ws://, as wscat reads it.
    init(commandLine text: String) throws(WebSocketURLError) {
        do {
            try self.init(parsing: text)
        } catch .missingScheme {
            try self.init(parsing: "ws://" + text)
        }
    }
}
