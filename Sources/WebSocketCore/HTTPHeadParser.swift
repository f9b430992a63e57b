/// Parses HTTP/1.x heads (start line and header fields up to the blank line) from bytes as they arrive.
///
/// The parser is strict because a handshake goes wrong in confusing ways when it is not: lines must
/// end in CRLF, obsolete line folding is refused, header names must be tokens with no space before
/// the colon (RFC 9112 5.1), and values may not hold control characters. Errors are reported as soon
/// as the bytes show them, so connecting to something that is not an HTTP server fails at once
/// instead of waiting for a timeout. Nothing after the blank line is read: `consumed` tells the
/// caller where the head ends, because a server may send its first frame in the same packet.
public enum HTTPHeadParser {
    /// The largest head accepted, blank line included. Real handshakes use well under 1 KiB; the
    /// limit keeps a misbehaving peer from making us buffer without end.
    public static let maximumHeadSize = 16 * 1024

    /// Parses a response head from the start of `buffer`.
    ///
    /// - Returns: the head and the number of bytes it occupies including the blank line, or nil
    ///   when `buffer` does not yet hold a complete head.
    public static func parseResponse(_ buffer: UnsafeRawBufferPointer) throws(HandshakeError) -> (HTTPResponseHead, consumed: Int)? {
        do {
            try requirePrefix(Array("HTTP/".utf8), of: buffer, otherwise: "the response does not start with 'HTTP/' (is this a WebSocket server?)")
            guard let (lines, consumed) = try splitHead(buffer) else { return nil }
            let statusLine = lines[0]
            let (version, code, reason) = try parseStatusLine(statusLine)
            let headers = try parseHeaderLines(lines.dropFirst())
            let head = HTTPResponseHead(version: version, statusCode: code, reason: reason,
                                        statusLine: String(decoding: statusLine, as: UTF8.self), headers: headers)
            return (head, consumed)
        } catch {
            switch error {
            case .tooLarge: throw .headTooLarge
            case let .malformed(message): throw .malformedResponse(message)
            }
        }
    }

    /// Parses a request head from the start of `buffer`.
    ///
    /// - Returns: the head and the number of bytes it occupies including the blank line, or nil
    ///   when `buffer` does not yet hold a complete head.
    public static func parseRequest(_ buffer: UnsafeRawBufferPointer) throws(ServerHandshakeError) -> (HTTPRequestHead, consumed: Int)? {
        do {
            guard let (lines, consumed) = try splitHead(buffer) else { return nil }
            let (method, target, version) = try parseRequestLine(lines[0])
            let headers = try parseHeaderLines(lines.dropFirst())
            return (HTTPRequestHead(method: method, target: target, version: version, headers: headers), consumed)
        } catch {
            switch error {
            case .tooLarge: throw .headTooLarge
            case let .malformed(message): throw .malformedRequest(message)
            }
        }
    }

    /// What can be wrong with a head, before it is mapped to the error type of the side parsing it.
    enum SyntaxError: Error {
        case tooLarge
        case malformed(String)
    }

    /// Fails as soon as the bytes received so far differ from `prefix`.
    private static func requirePrefix(_ prefix: [UInt8], of buffer: UnsafeRawBufferPointer,
                                      otherwise message: String) throws(SyntaxError) {
        for index in 0..<min(prefix.count, buffer.count) where buffer[index] != prefix[index] {
            throw .malformed(message)
        }
    }

    /// Finds the blank line that ends the head and returns the lines before it, CRLFs removed.
    private static func splitHead(_ buffer: UnsafeRawBufferPointer) throws(SyntaxError) -> ([ArraySlice<UInt8>], consumed: Int)? {
        let cr = HTTPSyntax.cr
        let lf = HTTPSyntax.lf
        let limit = min(buffer.count, maximumHeadSize)
        var end: Int?
        for index in 0..<limit {
            let byte = buffer[index]
            if byte == lf {
                guard index > 0, buffer[index - 1] == cr else {
                    throw .malformed("line ends in a bare LF instead of CRLF")
                }
                if index >= 3, buffer[index - 2] == lf, buffer[index - 3] == cr {
                    end = index + 1
                    break
                }
            } else if byte == cr, index + 1 < buffer.count, buffer[index + 1] != lf {
                throw .malformed("CR not followed by LF")
            }
        }
        guard let end else {
            if buffer.count >= maximumHeadSize { throw .tooLarge }
            return nil
        }

        let head = Array(buffer[0..<(end - 4)])
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = 0
        var index = 0
        while index + 1 < head.count {
            if head[index] == cr {
                lines.append(head[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(head[lineStart...])
        return (lines, end)
    }

    /// `HTTP-version SP status-code SP [reason-phrase]`; a missing space after the code is tolerated.
    private static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(SyntaxError) -> (String, Int, String) {
        guard !line.contains(where: HTTPSyntax.isForbiddenInFieldValue) else {
            throw .malformed("control character in the status line")
        }
        let parts = line.split(separator: HTTPSyntax.space, maxSplits: 1, omittingEmptySubsequences: false)
        let version = parts[0]
        guard isHTTPVersion(version) else {
            throw .malformed("invalid HTTP version '\(String(decoding: version, as: UTF8.self))' in the status line")
        }
        guard parts.count == 2 else { throw .malformed("status line has no status code") }
        let rest = parts[1]
        let codeBytes = rest.prefix(3)
        guard codeBytes.count == 3, codeBytes.allSatisfy(isDigit) else {
            throw .malformed("invalid status code in '\(String(decoding: line, as: UTF8.self))'")
        }
        let code = codeBytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let afterCode = rest.dropFirst(3)
        if let first = afterCode.first, first != HTTPSyntax.space {
            throw .malformed("invalid status code in '\(String(decoding: line, as: UTF8.self))'")
        }
        return (String(decoding: version, as: UTF8.self), code, String(decoding: afterCode.dropFirst(), as: UTF8.self))
    }

    /// `method SP request-target SP HTTP-version`.
    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(SyntaxError) -> (String, String, String) {
        let parts = line.split(separator: HTTPSyntax.space, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("request line is not 'METHOD target HTTP/1.1'") }
        guard HTTPSyntax.isToken(parts[0]) else { throw .malformed("invalid method in the request line") }
        guard !parts[1].isEmpty, !parts[1].contains(where: { $0 <= HTTPSyntax.space || $0 == 0x7F }) else {
            throw .malformed("invalid request target")
        }
        guard isHTTPVersion(parts[2]) else { throw .malformed("invalid HTTP version in the request line") }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self),
                String(decoding: parts[2], as: UTF8.self))
    }

    /// `name ":" OWS value OWS` for every line after the start line.
    private static func parseHeaderLines(_ lines: ArraySlice<ArraySlice<UInt8>>) throws(SyntaxError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for line in lines {
            if let first = line.first, HTTPSyntax.isWhitespace(first) {
                throw .malformed("obsolete line folding (a header line starting with whitespace) is not supported")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw .malformed("header line without ':': '\(printable(line))'")
            }
            let name = line[..<colon]
            guard HTTPSyntax.isToken(name) else {
                throw .malformed("invalid header name '\(printable(name))'")
            }
            var value = line[(colon + 1)...]
            while let first = value.first, HTTPSyntax.isWhitespace(first) { value = value.dropFirst() }
            while let last = value.last, HTTPSyntax.isWhitespace(last) { value = value.dropLast() }
            guard !value.contains(where: HTTPSyntax.isForbiddenInFieldValue) else {
                throw .malformed("control character in the value of header '\(String(decoding: name, as: UTF8.self))'")
            }
            headers.append(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        }
        return headers
    }

    /// `HTTP/` DIGIT `.` DIGIT.
    private static func isHTTPVersion(_ bytes: ArraySlice<UInt8>) -> Bool {
        let expected = Array("HTTP/".utf8)
        guard bytes.count == 8, bytes.prefix(5).elementsEqual(expected) else { return false }
        let tail = Array(bytes.suffix(3))
        return isDigit(tail[0]) && tail[1] == UInt8(ascii: ".") && isDigit(tail[2])
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Bytes for an error message, with control characters replaced and the length bounded.
    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        let shown = bytes.prefix(64).map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }
        return String(decoding: shown, as: UTF8.self) + (bytes.count > 64 ? "…" : "")
    }
}
