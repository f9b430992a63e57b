/// Why the server's answer to the opening handshake was not accepted (RFC 6455 4.1, 4.2.2).
///
/// Each rejection rule has its own case so that the message says exactly which rule failed and
/// the caller can act on some of them (follow a redirect, wait for `Retry-After`, report a
/// subprotocol mismatch) without parsing text.
public enum HandshakeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a well-formed HTTP/1.x response head.
    case malformedResponse(String)
    /// No blank line within `HTTPHeadParser.maximumHeadSize` bytes.
    case headTooLarge
    /// The status is not `101 Switching Protocols`. Carries the status line as received, the
    /// `Location` header (for redirects), the start of the body, cleaned for a terminal, and the
    /// other headers that say what to do next (`Retry-After`, `WWW-Authenticate`,
    /// `Sec-WebSocket-Version`) as `Name: value` lines.
    case unexpectedStatus(statusLine: String, location: String?, bodyExcerpt: String, notableHeaders: [String] = [])
    /// A `101` answered in a protocol version other than HTTP/1.1.
    case unsupportedHTTPVersion(String)
    /// No `Upgrade` header.
    case missingUpgrade
    /// An `Upgrade` header whose value is not `websocket`.
    case unexpectedUpgrade(String)
    /// No `upgrade` token in the `Connection` header.
    case missingConnectionUpgrade
    /// No `Sec-WebSocket-Accept` header.
    case missingAccept
    /// `Sec-WebSocket-Accept` does not match the key sent.
    case acceptMismatch(expected: String, got: String)
    /// The server selected a subprotocol the client did not offer.
    case unofferedSubprotocol(String)
    /// The server selected a subprotocol although the client offered none.
    case unsolicitedSubprotocol(String)
    /// The server sent more than one `Sec-WebSocket-Protocol` value, where it must select one.
    case multipleSubprotocols([String])
    /// The server accepted an extension the client did not offer.
    case unofferedExtension(String)
    /// The server's `Sec-WebSocket-Extensions` header does not follow the grammar.
    case invalidExtensionHeader(String)
    /// The server accepted permessage-deflate with parameters that break RFC 7692 or do not
    /// fit our offer.
    case invalidPerMessageDeflate(PerMessageDeflateError)

    public var description: String {
        switch self {
        case let .malformedResponse(problem):
            return "malformed handshake response: \(problem)"
        case .headTooLarge:
            return "handshake response head is larger than \(HTTPHeadParser.maximumHeadSize) bytes"
        case let .unexpectedStatus(statusLine, location, bodyExcerpt, notableHeaders):
            var text = "handshake rejected: " + Self.statusWithoutVersion(statusLine)
            let shown = (location.map { ["Location: " + $0] } ?? []) + notableHeaders
            if !shown.isEmpty { text += " (" + shown.joined(separator: "; ") + ")" }
            if !bodyExcerpt.isEmpty { text += ": " + bodyExcerpt }
            return text
        case let .unsupportedHTTPVersion(version):
            return "server answered the upgrade with \(version); a WebSocket handshake needs HTTP/1.1"
        case .missingUpgrade:
            return "server response lacks 'Upgrade: websocket' (is this a WebSocket endpoint?)"
        case let .unexpectedUpgrade(value):
            return "server response has 'Upgrade: \(value)', expected 'websocket'"
        case .missingConnectionUpgrade:
            return "server response lacks 'Connection: Upgrade'"
        case .missingAccept:
            return "server response lacks the Sec-WebSocket-Accept header"
        case let .acceptMismatch(expected, got):
            return "Sec-WebSocket-Accept mismatch: expected '\(expected)', got '\(got)' (a proxy or cache may have answered for another request)"
        case let .unofferedSubprotocol(name):
            return "server selected subprotocol '\(name)', which the client did not offer"
        case let .unsolicitedSubprotocol(name):
            return "server selected subprotocol '\(name)' although the client offered none"
        case let .multipleSubprotocols(names):
            return "server selected more than one subprotocol: \(names.joined(separator: ", "))"
        case let .unofferedExtension(name):
            return "server accepted extension '\(name)', which the client did not offer"
        case let .invalidExtensionHeader(problem):
            return "server sent an invalid Sec-WebSocket-Extensions header: \(problem)"
        case let .invalidPerMessageDeflate(problem):
            return "server's permessage-deflate answer is invalid: \(problem) (connecting without compression avoids it)"
        }
    }

    /// The HTTP status code of an `unexpectedStatus` rejection, for redirect and retry decisions;
    /// nil for every other case.
    public var statusCode: Int? {
        guard case let .unexpectedStatus(statusLine, _, _, _) = self else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        return Int(parts[1])
    }

    /// The `Location` of an `unexpectedStatus` rejection; nil for every other case.
    public var location: String? {
        guard case let .unexpectedStatus(_, location, _, _) = self else { return nil }
        return location
    }

    /// `HTTP/1.1 403 Forbidden` → `403 Forbidden`.
    private static func statusWithoutVersion(_ statusLine: String) -> String {
        guard statusLine.hasPrefix("HTTP/"), let space = statusLine.firstIndex(of: " ") else { return statusLine }
        return String(statusLine[statusLine.index(after: space)...])
    }
}
