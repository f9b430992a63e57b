import WebSocketCore

/// Opens a byte stream to a URL's host the way wsc's connections go: resolve, TCP (each
/// address in turn), a CONNECT tunnel when a proxy applies, TLS for a secure URL. The caller
/// bounds it with its own deadline and `cancel()`s on expiry.
///
/// Used by the HTTP exchanges of Engine.IO long-polling. (`WebSocketClient` still runs the
/// same steps inline, interleaved with its upgrade; it can adopt this type when its engine is
/// split from its front-end.)
final class StreamConnector {
    private enum Phase {
        case idle
        case connecting(TCPConnector)
        case tunneling(TCPStream)
        case securing(TLSStream)
        case finished
    }

    private let loop: EventLoop
    private let url: WebSocketURL
    private let proxyConfiguration: ProxyConfiguration
    private let tlsContext: TLSContext?
    private var phase = Phase.idle
    private var watch: WatchID?
    private var proxy: WebSocketURL?
    private var tunnelRequest: [UInt8] = []
    private var tunnelAnswer: [UInt8] = []
    private var completion: ((Result<ByteStream, TransportError>) -> Void)?

    init(loop: EventLoop, url: WebSocketURL, proxy: ProxyConfiguration, tlsContext: TLSContext?) {
        self.loop = loop
        self.url = url
        self.proxyConfiguration = proxy
        self.tlsContext = tlsContext
    }

    func start(_ completion: @escaping (Result<ByteStream, TransportError>) -> Void) {
        self.completion = completion
        do {
            proxy = try proxyConfiguration.proxy(for: url)
            let target = proxy.map { ($0.host, $0.port) } ?? (url.host, url.port)
            let addresses = try AddressResolver.resolve(host: target.0, port: target.1)
            let connector = TCPConnector(loop: loop, host: target.0, port: target.1, addresses: addresses)
            phase = .connecting(connector)
            connector.start { [weak self] result in
                switch result {
                case let .success(fd): self?.connected(TCPStream(connectedSocket: fd))
                case let .failure(error): self?.finish(.failure(error))
                }
            }
        } catch {
            finish(.failure(error))
        }
    }

    /// Stops the attempt and closes what was opened; the completion is not called.
    func cancel() {
        completion = nil
        finish(.failure(.io("cancelled")))
    }

    private func connected(_ tcp: TCPStream) {
        guard let proxy else {
            secure(tcp)
            return
        }
        tunnelRequest = ProxyTunnel.connectRequest(to: url, proxy: proxy)
        phase = .tunneling(tcp)
        setWatch(tcp.fileDescriptor, [.readable, .writable])
    }

    private func secure(_ tcp: TCPStream) {
        guard url.isSecure else {
            finish(.success(tcp))
            return
        }
        guard let tlsContext else {
            tcp.close()
            finish(.failure(.tlsConfiguration("no TLS context for a secure URL")))
            return
        }
        do {
            let tls = try TLSStream(tcp: tcp, context: tlsContext, host: url.host)
            phase = .securing(tls)
            setWatch(tls.fileDescriptor, [.writable])
            stepTLS(tls)
        } catch {
            tcp.close()
            finish(.failure(error))
        }
    }

    private func setWatch(_ fd: Int32, _ interest: IOInterest) {
        if let watch {
            loop.update(watch, interest: interest)
        } else {
            watch = loop.watch(fd, for: interest) { [weak self] _ in self?.ready() }
        }
    }

    private func ready() {
        switch phase {
        case let .tunneling(tcp): exchangeTunnel(tcp)
        case let .securing(tls): stepTLS(tls)
        case .idle, .connecting, .finished: break
        }
    }

    private func stepTLS(_ tls: TLSStream) {
        do {
            if let wanted = try tls.handshakeStep() {
                setWatch(tls.fileDescriptor, wanted)
            } else {
                finish(.success(tls))
            }
        } catch {
            finish(.failure(error))
        }
    }

    private func exchangeTunnel(_ tcp: TCPStream) {
        do throws(TransportError) {
            while !tunnelRequest.isEmpty {
                let result = try tunnelRequest.withBytes { (raw) throws(TransportError) in try tcp.write(raw) }
                guard case let .bytes(count) = result else { break }
                tunnelRequest.removeFirst(count)
            }
            // Byte by byte: nothing after the CONNECT answer's head may be consumed here (the
            // TLS handshake or the first HTTP answer follows on the same socket).
            var byte: [UInt8] = [0]
            while tunnelAnswer.count < HTTPHeadParser.maximumHeadSize {
                let result = try byte.withMutableBytes { (raw) throws(TransportError) in try tcp.read(into: raw) }
                switch result {
                case .bytes:
                    tunnelAnswer.append(byte[0])
                    if tunnelAnswer.suffix(4) == [0x0D, 0x0A, 0x0D, 0x0A] {
                        try checkTunnelAnswer()
                        secure(tcp)
                        return
                    }
                    continue
                case .endOfStream:
                    throw .proxy("the proxy closed the connection during CONNECT")
                case .wouldBlock:
                    break
                }
                break
            }
            setWatch(tcp.fileDescriptor, tunnelRequest.isEmpty ? .readable : [.readable, .writable])
        } catch {
            finish(.failure(error))
        }
    }

    private func checkTunnelAnswer() throws(TransportError) {
        let parsed: (HTTPResponseHead, consumed: Int)?
        do {
            parsed = try tunnelAnswer.withBytes { (raw) throws(HandshakeError) in try HTTPHeadParser.parseResponse(raw) }
        } catch {
            throw .proxy("malformed answer to CONNECT: \(error)")
        }
        guard let (head, _) = parsed else { throw .proxy("malformed answer to CONNECT") }
        guard (200..<300).contains(head.statusCode) else { throw .proxy("CONNECT refused: \(head.statusLine)") }
    }

    private func finish(_ result: Result<ByteStream, TransportError>) {
        if let watch { loop.unwatch(watch) }
        watch = nil
        let previous = phase
        phase = .finished
        if case .failure = result {
            switch previous {
            case let .connecting(connector): connector.cancel()
            case let .tunneling(tcp): tcp.close()
            case let .securing(tls): tls.close()
            case .idle, .finished: break
            }
        }
        let completion = self.completion
        self.completion = nil
        completion?(result)
    }
}
