/// The start line and headers of an HTTP/1.x response: what a server sends back to the upgrade request.
public struct HTTPResponseHead: Sendable, Equatable {
    /// The protocol version as received, such as `HTTP/1.1`.
    public var version: String
    /// The three-digit status code.
    public var statusCode: Int
    /// The reason phrase, possibly empty.
    public var reason: String
    /// The whole status line without its CRLF, as received, for messages.
    public var statusLine: String
    public var headers: HTTPHeaders

    public init(version: String, statusCode: Int, reason: String, statusLine: String? = nil,
                headers: HTTPHeaders) {
        self.version = version
        self.statusCode = statusCode
        self.reason = reason
        self.statusLine = statusLine ?? (reason.isEmpty
            ? "\(version) \(statusCode)"
            : "\(version) \(statusCode) \(reason)")
        self.headers = headers
    }

    /// The `Location` header, which the redirect logic follows for 3xx answers.
    public var location: String? {
        headers["Location"]
    }

    /// The `Retry-After` header when it is delta-seconds (RFC 9110 10.2.3), for 503 and 429 answers.
    /// The HTTP-date form gives nil: the core reads no clock to turn a date into a delay. A number
    /// too large for `Int` saturates at `Int.max`.
    public var retryAfterSeconds: Int? {
        guard let value = headers["Retry-After"], !value.isEmpty,
              value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        var seconds = 0
        for byte in value.utf8 {
            let (shifted, overflowShift) = seconds.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if overflowShift || overflowAdd { return Int.max }
            seconds = sum
        }
        return seconds
    }
}

/// The request line and headers of an HTTP/1.x request: what a client sends to the listen mode.
public struct HTTPRequestHead: Sendable, Equatable {
    /// The method, such as `GET`; methods are case-sensitive.
    public var method: String
    /// The request target as received, such as `/chat?room=1`.
    public var target: String
    /// The protocol version as received, such as `HTTP/1.1`.
    public var version: String
    public var headers: HTTPHeaders

    public init(method: String, target: String, version: String, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }
}
