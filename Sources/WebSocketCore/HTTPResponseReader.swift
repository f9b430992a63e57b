/// Reads whole HTTP/1.1 responses (head and body) from the bytes of one keep-alive connection,
/// as they arrive: the body framed by `Content-Length`, by `Transfer-Encoding: chunked`, or
/// (without either) by the end of the stream. For plain HTTP exchanges such as Engine.IO
/// long-polling; one response per request, in order.
public struct HTTPResponseReader: Sendable {
    public struct Response: Sendable, Equatable {
        public var head: HTTPResponseHead
        public var body: [UInt8]

        /// The server keeps the connection open for the next request (HTTP/1.1 default).
        public var keepsAlive: Bool {
            let tokens = head.headers.tokens(for: "Connection").map { $0.lowercased() }
            if head.version == "HTTP/1.0" { return tokens.contains("keep-alive") }
            return !tokens.contains("close")
        }
    }

    public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        case head(HandshakeError)
        case invalidLength(String)
        case invalidChunk(String)
        case bodyTooLarge(limit: Int)
        /// The stream ended before the response was complete.
        case truncated

        public var description: String {
            switch self {
            case let .head(error): return error.description
            case let .invalidLength(value): return "invalid Content-Length '\(value)'"
            case let .invalidChunk(reason): return "invalid chunked body: \(reason)"
            case let .bodyTooLarge(limit): return "response body larger than \(limit) bytes"
            case .truncated: return "the connection ended in the middle of a response"
            }
        }
    }

    private enum Framing: Sendable {
        case length(Int)
        /// `remaining`: bytes left of the current chunk's data, nil when a size line is next.
        case chunked(remaining: Int?)
        /// After the last chunk: trailer lines up to a blank line.
        case trailers
        case untilClose
    }

    private let maxBodySize: Int
    private var buffer: [UInt8] = []
    private var head: HTTPResponseHead?
    private var framing = Framing.untilClose
    private var body: [UInt8] = []

    public init(maxBodySize: Int) {
        self.maxBodySize = maxBodySize
    }

    /// True between responses: no byte of the next one has arrived.
    public var isIdle: Bool { head == nil && buffer.isEmpty }

    /// Bytes from the connection; the response, once it is complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(ReadError) -> Response? {
        buffer.append(contentsOf: bytes)
        if head == nil {
            // Not a throwing closure inside withUnsafeBytes: see the IRGen note in docs/architecture.md.
            let parsed: Result<(HTTPResponseHead, consumed: Int)?, HandshakeError> = buffer.withUnsafeBytes { raw in
                do throws(HandshakeError) {
                    return .success(try HTTPHeadParser.parseResponse(raw))
                } catch {
                    return .failure(error)
                }
            }
            let headAndSize: (HTTPResponseHead, consumed: Int)?
            switch parsed {
            case let .success(value): headAndSize = value
            case let .failure(error): throw .head(error)
            }
            guard let (parsedHead, consumed) = headAndSize else { return nil }
            buffer.removeFirst(consumed)
            head = parsedHead
            framing = try Self.framing(of: parsedHead)
            body = []
        }
        return try advance()
    }

    /// The stream ended: completes a body that runs to the end, else reports a cut response.
    public mutating func endOfStream() throws(ReadError) -> Response? {
        if isIdle { return nil }
        guard case .untilClose = framing, let head else { throw .truncated }
        body += buffer
        buffer = []
        return complete(head)
    }

    private static func framing(of head: HTTPResponseHead) throws(ReadError) -> Framing {
        if head.statusCode == 204 || head.statusCode == 304 || (100..<200).contains(head.statusCode) {
            return .length(0)
        }
        if head.headers.tokens(for: "Transfer-Encoding").map({ $0.lowercased() }).last == "chunked" {
            return .chunked(remaining: nil)
        }
        if let value = head.headers["Content-Length"] {
            guard let length = Int(Self.trimmed(value)), length >= 0 else { throw .invalidLength(value) }
            return .length(length)
        }
        return .untilClose
    }

    private mutating func advance() throws(ReadError) -> Response? {
        guard let head else { return nil }
        while true {
            switch framing {
            case let .length(length):
                let needed = length - body.count
                guard length <= maxBodySize else { throw .bodyTooLarge(limit: maxBodySize) }
                let taken = min(needed, buffer.count)
                body += buffer[0..<taken]
                buffer.removeFirst(taken)
                return body.count == length ? complete(head) : nil
            case .untilClose:
                body += buffer
                buffer = []
                if body.count > maxBodySize { throw .bodyTooLarge(limit: maxBodySize) }
                return nil
            case let .chunked(remaining?):
                let taken = min(remaining, buffer.count)
                body += buffer[0..<taken]
                buffer.removeFirst(taken)
                if taken < remaining {
                    framing = .chunked(remaining: remaining - taken)
                    return nil
                }
                // The CRLF after the chunk's data.
                guard buffer.count >= 2 else {
                    framing = .chunked(remaining: 0)
                    return nil
                }
                guard buffer[0] == 0x0D, buffer[1] == 0x0A else { throw .invalidChunk("no CRLF after a chunk's data") }
                buffer.removeFirst(2)
                framing = .chunked(remaining: nil)
            case .chunked(remaining: nil):
                guard let line = takeLine() else { return nil }
                let sizeText = line.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false)[0]
                let trimmed = Self.trimmed(String(decoding: sizeText, as: UTF8.self))
                guard !trimmed.isEmpty, trimmed.count <= 15, let size = Int(trimmed, radix: 16), size >= 0 else {
                    throw .invalidChunk("bad chunk size '\(trimmed)'")
                }
                guard body.count + size <= maxBodySize else { throw .bodyTooLarge(limit: maxBodySize) }
                framing = size == 0 ? .trailers : .chunked(remaining: size)
            case .trailers:
                guard let line = takeLine() else { return nil }
                if line.isEmpty { return complete(head) }
            }
        }
    }

    /// A line up to CRLF (without it), taken from the buffer; nil when none is complete.
    private mutating func takeLine() -> [UInt8]? {
        guard let end = buffer.firstIndex(of: 0x0A) else {
            return nil
        }
        var line = Array(buffer[0..<end])
        if line.last == 0x0D { line.removeLast() }
        buffer.removeFirst(end + 1)
        return line
    }

    /// Without spaces and tabs at either end.
    private static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }

    private mutating func complete(_ head: HTTPResponseHead) -> Response {
        let response = Response(head: head, body: body)
        self.head = nil
        body = []
        framing = .untilClose
        return response
    }
}
