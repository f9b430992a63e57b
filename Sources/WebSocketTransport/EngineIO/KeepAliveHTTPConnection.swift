import WebSocketCore

/// One HTTP/1.1 connection for a series of requests, one at a time (no pipelining), to
/// `options.url` and routed as `options` say (Unix socket, proxy): opened through
/// `StreamConnector` when the first request comes, kept open between requests unless
/// the server says `Connection: close`, and opened again for the next request after that. A
/// request on a kept connection that the server had meanwhile closed is sent once more on a
/// new one, as HTTP clients do for idempotent retries (RFC 9112 9.3.1).
///
/// A completion never runs inside `send`: the caller of `send` is often the previous request's
/// completion (the next long-poll GET goes out before the last answer's packets are handed up),
/// and an answer already waiting on the socket, read at once, would overtake them.
final class KeepAliveHTTPConnection {
    typealias Completion = (Result<HTTPResponseReader.Response, TransportError>) -> Void

    private let loop: EventLoop
    private let options: ConnectionOptions
    private let tlsContext: TLSContext?
    private let maxBodySize: Int
    private var connector: StreamConnector?
    private var stream: ByteStream?
    private var watch: WatchID?
    private var output: [UInt8] = []
    private var request: [UInt8] = []
    private var reader: HTTPResponseReader
    private var completion: Completion?
    /// The request went out on a connection kept from before (a retry is allowed once).
    private var onKeptConnection = false
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// `send` is on the stack: a completion due now waits for the loop, in `deferredCompletion`.
    private var sending = false
    private var deferredCompletion: TimerID?

    init(loop: EventLoop, options: ConnectionOptions, tlsContext: TLSContext?, maxBodySize: Int) {
        self.loop = loop
        self.options = options
        self.tlsContext = tlsContext
        self.maxBodySize = maxBodySize
        self.reader = HTTPResponseReader(maxBodySize: maxBodySize)
    }

    /// A request is under way.
    var isBusy: Bool { completion != nil || deferredCompletion != nil }

    /// Sends `request` (whole, head and body) and calls `completion` with the response.
    func send(_ request: [UInt8], completion: @escaping Completion) {
        precondition(!isBusy, "one request at a time")
        sending = true
        defer { sending = false }
        self.request = request
        self.completion = completion
        if stream != nil {
            onKeptConnection = true
            begin()
        } else {
            openAndBegin()
        }
    }

    /// Closes the connection; a request under way is dropped without its completion.
    func close() {
        completion = nil
        loop.cancel(deferredCompletion)
        deferredCompletion = nil
        connector?.cancel()
        connector = nil
        closeStream()
    }

    private func openAndBegin() {
        onKeptConnection = false
        let connector: StreamConnector
        do {
            let route = try StreamConnector.Route.choose(for: options.url, unixSocketPath: options.unixSocketPath,
                                                         proxies: options.proxy)
            connector = StreamConnector(loop: loop, url: options.url, route: route, tlsContext: tlsContext)
        } catch {
            complete(.failure(error))
            return
        }
        self.connector = connector
        connector.start { [weak self] result in
            guard let self else { return }
            self.connector = nil
            switch result {
            case let .success(stream):
                self.stream = stream
                self.begin()
            case let .failure(error):
                self.complete(.failure(error))
            }
        }
    }

    private func begin() {
        guard let stream else { return }
        output = request
        reader = HTTPResponseReader(maxBodySize: maxBodySize)
        if let watch {
            loop.update(watch, interest: [.readable, .writable])
        } else {
            watch = loop.watch(stream.fileDescriptor, for: [.readable, .writable]) { [weak self] _ in self?.ready() }
        }
        ready()
    }

    private func ready() {
        guard let stream else { return }
        do throws(TransportError) {
            while !output.isEmpty {
                let result = try output.withBytes { (raw) throws(TransportError) in try stream.write(raw) }
                guard case let .bytes(count) = result else { break }
                output.removeFirst(count)
            }
            while true {
                let result = try readBuffer.withMutableBytes { (raw) throws(TransportError) in try stream.read(into: raw) }
                switch result {
                case let .bytes(count):
                    guard completion != nil else {
                        // Bytes nobody asked for on an idle connection: it is not reusable.
                        closeStream()
                        return
                    }
                    if let response = try feed(readBuffer[0..<count]) {
                        if !response.keepsAlive { closeStream() }
                        complete(.success(response))
                        return
                    }
                    continue
                case .endOfStream:
                    let sawNothing = reader.isIdle
                    let response = try finishReading()
                    closeStream()
                    if let response {
                        complete(.success(response))
                    } else if sawNothing && onKeptConnection && completion != nil {
                        openAndBegin()   // the server had closed the kept connection: once more
                    } else if completion != nil {
                        complete(.failure(.io("the server closed the connection without answering")))
                    }
                    return
                case .wouldBlock:
                    break
                }
                break
            }
            if let watch { loop.update(watch, interest: output.isEmpty ? .readable : [.readable, .writable]) }
        } catch {
            closeStream()
            if completion != nil, onKeptConnection, reader.isIdle {
                openAndBegin()
            } else {
                complete(.failure(error))
            }
        }
    }

    private func feed(_ bytes: ArraySlice<UInt8>) throws(TransportError) -> HTTPResponseReader.Response? {
        do {
            return try reader.feed(bytes)
        } catch {
            throw .io("bad HTTP response: \(error)")
        }
    }

    private func finishReading() throws(TransportError) -> HTTPResponseReader.Response? {
        do {
            return try reader.endOfStream()
        } catch {
            throw .io("bad HTTP response: \(error)")
        }
    }

    private func closeStream() {
        if let watch { loop.unwatch(watch) }
        watch = nil
        stream?.close()
        stream = nil
    }

    private func complete(_ result: Result<HTTPResponseReader.Response, TransportError>) {
        // Idle: only an end of stream (or stray bytes) from the server is of interest now.
        if let watch { loop.update(watch, interest: .readable) }
        guard let completion = completion.take() else { return }
        guard !sending else {
            deferredCompletion = loop.schedule(after: 0) { [weak self] in
                self?.deferredCompletion = nil
                completion(result)
            }
            return
        }
        completion(result)
    }
}
