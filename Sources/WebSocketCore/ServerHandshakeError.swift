/// Why a client's upgrade request was refused (RFC 6455 4.2.1), with the HTTP answer to send back.
///
/// A refused client deserves a reason it can read, so every case renders as a short plain-text
/// body; `Connection: close` tells it the server hangs up afterwards.
public enum ServerHandshakeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a well-formed HTTP/1.x request head.
    case malformedRequest(String)
    /// No blank line within `HTTPHeadParser.maximumHeadSize` bytes.
    case headTooLarge
    /// A method other than GET.
    case methodNotGet(String)
    /// A protocol version other than HTTP/1.1.
    case unsupportedHTTPVersion(String)
    /// No `Host` header, or more than one.
    case missingHost
    /// No `websocket` token in `Upgrade`: usually a plain HTTP request, such as a browser's.
    case missingUpgrade
    /// No `upgrade` token in `Connection`.
    case missingConnectionUpgrade
    /// `Sec-WebSocket-Version` is missing or not 13; answered with 426 and the version supported.
    /// Carries the versions requested, empty when the header is missing.
    case unsupportedWebSocketVersion(String)
    /// No `Sec-WebSocket-Key`.
    case missingKey
    /// A `Sec-WebSocket-Key` that does not base64-decode to exactly 16 bytes, or more than one.
    case invalidKey(String)
    /// A `Sec-WebSocket-Extensions` header that does not follow the grammar.
    case invalidExtensionHeader(String)

    public var description: String {
        switch self {
        case let .malformedRequest(problem):
            return "malformed request: \(problem)"
        case .headTooLarge:
            return "request head is larger than \(HTTPHeadParser.maximumHeadSize) bytes"
        case let .methodNotGet(method):
            return "a WebSocket handshake must use GET, not \(method)"
        case let .unsupportedHTTPVersion(version):
            return "a WebSocket handshake needs HTTP/1.1, not \(version)"
        case .missingHost:
            return "the request must have exactly one Host header"
        case .missingUpgrade:
            return "this is a WebSocket endpoint; the request lacks 'Upgrade: websocket'"
        case .missingConnectionUpgrade:
            return "the request lacks 'Connection: Upgrade'"
        case let .unsupportedWebSocketVersion(version):
            if version.isEmpty { return "the request lacks Sec-WebSocket-Version (this server speaks version 13)" }
            return "unsupported Sec-WebSocket-Version '\(version)' (this server speaks version 13)"
        case .missingKey:
            return "the request lacks Sec-WebSocket-Key"
        case let .invalidKey(key):
            return "Sec-WebSocket-Key '\(key)' is not the base64 of 16 bytes"
        case let .invalidExtensionHeader(problem):
            return "invalid Sec-WebSocket-Extensions header: \(problem)"
        }
    }

    /// The reason given to the client; the same text as `description`.
    public var reason: String { description }

    /// 426 Upgrade Required for a WebSocket version mismatch (RFC 6455 4.2.2), 400 otherwise.
    public var statusCode: Int {
        if case .unsupportedWebSocketVersion = self { return 426 }
        return 400
    }

    /// The complete HTTP response refusing the upgrade: status line, `Sec-WebSocket-Version: 13`
    /// for a version mismatch, a plain-text body naming the reason, and `Connection: close`.
    public var rejectionResponseBytes: [UInt8] {
        let status = statusCode == 426 ? "426 Upgrade Required" : "400 Bad Request"
        // The reason may quote request bytes; keep the body to printable text on one line.
        let body = String(String.UnicodeScalarView(reason.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F ? "?" : $0
        })) + "\n"
        var lines = ["HTTP/1.1 " + status]
        if statusCode == 426 { lines.append("Sec-WebSocket-Version: 13") }
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Content-Length: \(body.utf8.count)")
        lines.append("Connection: close")
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    }
}
