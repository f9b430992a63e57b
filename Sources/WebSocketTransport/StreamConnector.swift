import WebSocketCore
import Glibc

/// Opens the byte stream a WebSocket connection runs on, driven by the poll loop and never
/// blocking it (names are resolved off its thread, `BackgroundResolution`): a TCP connection
/// (Happy Eyeballs) or a Unix domain socket, through an HTTP CONNECT or SOCKS5 proxy when one
/// applies, then TLS for `wss://`. The HTTP upgrade
/// starts on the stream it hands over; the caller's connect timeout bounds all of it.
final class StreamConnector {
    /// How the bytes reach the server.
    enum Route: Equatable {
        case direct(host: String, port: UInt16)
        case unixSocket(path: String)
        case proxy(ProxyEndpoint)

        /// The configured Unix socket (every connection) or the URL's own socket, else the proxy rules.
        static func choose(for url: WebSocketURL, unixSocketPath: String?, proxies: ProxyConfiguration) throws(TransportError) -> Route {
            if let path = unixSocketPath ?? url.unixSocketPath { return .unixSocket(path: path) }
            if let proxy = try proxies.proxy(for: url) { return .proxy(proxy) }
            return .direct(host: url.host, port: url.port)
        }
    }

    /// A step finished (for the statistics).
    enum Step {
        /// The addresses are known (of the server, or of the proxy).
        case resolved
        /// The socket is connected (to the proxy, when there is one).
        case connected
        /// The proxy's tunnel is open.
        case tunneled
        /// The TLS handshake finished.
        case secured
    }

    private enum Phase {
        case idle
        /// A host name (the server's or the proxy's; for `socks5://` then the server's) being
        /// resolved off the loop's thread.
        case resolving(BackgroundResolution)
        case connecting(TCPConnector)
        case tunneling(TCPStream, ProxyHandshake)
        case securing(TLSStream)
        case finished
    }

    private let loop: EventLoop
    private let url: WebSocketURL
    private let route: Route
    private let tlsContext: TLSContext?
    private var phase = Phase.idle
    private var watch: WatchID?
    private var completion: ((Result<ByteStream, TransportError>) -> Void)?
    private let stepFinished: (Step) -> Void
    /// Proxy handshake bytes not yet written, and the proxy's bytes not yet consumed.
    private var output: [UInt8] = []
    private var input: [UInt8] = []

    init(loop: EventLoop, url: WebSocketURL, route: Route, tlsContext: TLSContext?,
         stepFinished: @escaping (Step) -> Void = { _ in }) {
        self.loop = loop
        self.url = url
        self.route = route
        self.tlsContext = tlsContext
        self.stepFinished = stepFinished
    }

    /// Starts; `completion` gets the stream (the caller owns it from then on) or the failure.
    func start(_ completion: @escaping (Result<ByteStream, TransportError>) -> Void) {
        self.completion = completion
        switch route {
        case let .direct(host, port):
            resolve(host, port) { [unowned self] addresses in self.connect(to: addresses, host: host, port: port) }
        case let .unixSocket(path):
            guard let address = ResolvedAddress.unixSocket(path: path) else {
                fail(.unixSocket(path: path, reason: "the path is empty or longer than 107 bytes"))
                return
            }
            connect(to: [address], host: path, port: 0)
        case let .proxy(proxy):
            resolve(proxy.host, proxy.port) { [unowned self] addresses in
                self.connect(to: addresses, host: proxy.host, port: proxy.port)
            }
        }
    }

    /// Literal addresses at once; names on a helper thread (cancelled by `cancel()`).
    private func resolve(_ host: String, _ port: UInt16, then next: @escaping ([ResolvedAddress]) -> Void) {
        if let addresses = AddressResolver.literal(host: host, port: port) {
            next(addresses)
            return
        }
        phase = .resolving(BackgroundResolution(loop: loop, host: host, port: port) { [unowned self] result in
            switch result {
            case let .success(addresses): next(addresses)
            case let .failure(error): self.fail(error)
            }
        })
    }

    private func connect(to addresses: [ResolvedAddress], host: String, port: UInt16) {
        stepFinished(.resolved)
        let connector = TCPConnector(loop: loop, host: host, port: port, addresses: addresses)
        phase = .connecting(connector)
        connector.start { [unowned self] result in
            switch result {
            case let .success(fd):
                self.stepFinished(.connected)
                self.connected(TCPStream(connectedSocket: fd))
            case let .failure(error):
                if case let .unixSocket(path) = self.route, case let .connectionFailed(_, _, reason) = error {
                    self.fail(.unixSocket(path: path, reason: reason))
                } else {
                    self.fail(error)
                }
            }
        }
    }

    /// Stops whatever is in progress and closes its socket; the completion is not called.
    func cancel() {
        completion = nil
        closeEverything()
    }

    // MARK: - Steps

    private func connected(_ tcp: TCPStream) {
        guard case let .proxy(proxy) = route else {
            secure(tcp)
            return
        }
        guard case .socks5(resolvesNames: false) = proxy.kind, Self.ipAddressBytes(url.host) == nil else {
            startTunnel(tcp, through: proxy, to: nil)
            return
        }
        // socks5:// means we resolve the server's name; the proxy is given an address.
        resolve(url.host, url.port) { [unowned self] addresses in
            guard let address = addresses.first.flatMap({ Self.ipAddressBytes($0.numericHost) }) else {
                tcp.close()
                self.fail(.nameResolution(host: self.url.host, reason: "no addresses"))
                return
            }
            self.startTunnel(tcp, through: proxy, to: address)
        }
    }

    /// `resolved`: the server's address for `socks5://` (nil: its name or literal goes as it is).
    private func startTunnel(_ tcp: TCPStream, through proxy: ProxyEndpoint, to resolved: SOCKS5Handshake.Destination?) {
        let handshake: ProxyHandshake
        switch proxy.kind {
        case .httpConnect:
            handshake = .httpConnect(HTTPConnectHandshake(target: url, proxy: proxy))
        case .socks5:
            let target = hostForDisplay(url.host) + ":" + String(url.port)
            let destination = resolved ?? Self.ipAddressBytes(url.host) ?? .name(url.host)
            do {
                handshake = .socks5(try SOCKS5Handshake(destination: destination, port: url.port, credentials: proxy.credentials),
                                    proxy: proxy.authority, target: target)
            } catch {
                tcp.close()
                fail(.socks5(proxy: proxy.authority, target: target, error))
                return
            }
        }
        output = handshake.opening
        phase = .tunneling(tcp, handshake)
        setWatch(tcp.fileDescriptor, [.readable, .writable])
    }

    /// An IPv4 or IPv6 literal as the bytes SOCKS5 carries; nil for a name.
    private static func ipAddressBytes(_ host: String) -> SOCKS5Handshake.Destination? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return .ipv4(withUnsafeBytes(of: v4) { Array($0) })
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return .ipv6(withUnsafeBytes(of: v6) { Array($0) })
        }
        return nil
    }

    /// Writes what is left of our side of the proxy handshake, reads the proxy's, and moves on
    /// once the tunnel is open.
    private func exchange(_ tcp: TCPStream, _ handshake: ProxyHandshake) {
        var handshake = handshake
        do throws(TransportError) {
            var sawEnd = false
            while true {
                while !output.isEmpty {
                    let written = try output.withBytes { (raw) throws(TransportError) in try tcp.write(raw) }
                    guard case let .bytes(n) = written, n > 0 else { break }
                    output.removeFirst(n)
                }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let read = try buffer.withMutableBytes { (raw) throws(TransportError) in try tcp.read(into: raw) }
                switch read {
                case let .bytes(n): input.append(contentsOf: buffer[0..<n])
                case .endOfStream: sawEnd = true
                case .wouldBlock: break
                }
                var progressed = false
                stepping: while true {
                    switch try handshake.advance(&input) {
                    case let .send(bytes):
                        output += bytes
                        progressed = true
                    case .needMore:
                        break stepping
                    case .established:
                        phase = .idle
                        stepFinished(.tunneled)
                        secure(tcp)
                        return
                    }
                }
                if sawEnd { throw handshake.errorAtEndOfStream }
                if case .bytes = read { continue }
                if progressed && !output.isEmpty { continue }
                break
            }
            phase = .tunneling(tcp, handshake)
            setWatch(tcp.fileDescriptor, output.isEmpty ? .readable : [.readable, .writable])
        } catch {
            tcp.close()
            phase = .idle
            fail(error)
        }
    }

    private func secure(_ tcp: TCPStream) {
        guard url.isSecure else {
            succeed(tcp)
            return
        }
        guard let tlsContext else {
            tcp.close()
            fail(.tlsConfiguration(.missingContext))
            return
        }
        do {
            let tls = try TLSStream(tcp: tcp, context: tlsContext, host: url.host)
            phase = .securing(tls)
            setWatch(tls.fileDescriptor, .writable)
            stepTLS(tls)
        } catch {
            tcp.close()
            fail(error)
        }
    }

    private func stepTLS(_ tls: TLSStream) {
        do {
            if let wanted = try tls.handshakeStep() {
                setWatch(tls.fileDescriptor, wanted)
            } else {
                stepFinished(.secured)
                succeed(tls)
            }
        } catch {
            fail(error)
        }
    }

    // MARK: - Readiness and ending

    private func setWatch(_ fd: Int32, _ interest: IOInterest) {
        if let watch {
            loop.update(watch, interest: interest)
        } else {
            watch = loop.watch(fd, for: interest) { [unowned self] _ in self.ready() }
        }
    }

    private func ready() {
        switch phase {
        case let .tunneling(tcp, handshake): exchange(tcp, handshake)
        case let .securing(tls): stepTLS(tls)
        case .idle, .resolving, .connecting, .finished: break
        }
    }

    private func unwatch() {
        if let watch { loop.unwatch(watch) }
        watch = nil
    }

    private func succeed(_ stream: ByteStream) {
        unwatch()
        phase = .finished
        completion.take()?(.success(stream))
    }

    private func fail(_ error: TransportError) {
        closeEverything()
        completion.take()?(.failure(error))
    }

    private func closeEverything() {
        unwatch()
        switch phase {
        case let .resolving(resolution): resolution.cancel()
        case let .connecting(connector): connector.cancel()
        case let .tunneling(tcp, _): tcp.close()
        case let .securing(tls): tls.close()
        case .idle, .finished: break
        }
        phase = .finished
    }

    /// The watch captures this object unowned: it must not outlive it.
    deinit {
        if let watch { loop.unwatch(watch) }
    }
}
