import Glibc

/// One address `getaddrinfo` returned, ready for `socket` and `connect`.
public struct ResolvedAddress: Sendable {
    public var family: Int32
    public var storage: sockaddr_storage
    public var length: socklen_t

    /// A Unix domain socket's path as an address for `connect`; nil when the path is empty or
    /// longer than `sun_path` holds (107 bytes on Linux).
    public static func unixSocket(path: String) -> ResolvedAddress? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { raw in
            withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        return ResolvedAddress(family: AF_UNIX, storage: storage, length: length)
    }

    /// Calls `body` with the address as the `sockaddr` pointer `bind`, `connect` and
    /// `getnameinfo` take (with `length`).
    func withSocketAddress<Value>(_ body: (UnsafePointer<sockaddr>) -> Value) -> Value {
        withUnsafePointer(to: storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
    }

    /// "127.0.0.1" or "::1", for messages.
    public var numericHost: String {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let rc = withSocketAddress { getnameinfo($0, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) }
        guard rc == 0 else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Name resolution through `getaddrinfo`, IPv6 and IPv4 alike, in the order the system prefers.
///
/// `resolve` blocks for as long as the resolver takes: the client runs it on a helper thread
/// (`BackgroundResolution`); only `literal`, which never asks a resolver, runs on the loop.
public enum AddressResolver {
    /// The address of a literal IPv4 or IPv6 host, or nil for a name. Instant: without
    /// AI_ADDRCONFIG glibc asks neither netlink for the interfaces nor nscd (measured: a
    /// loopback one-shot 6.5 ms -> 5.8 ms), and no thread is started for it.
    public static func literal(host: String, port: UInt16) -> [ResolvedAddress]? {
        guard case let .success(addresses) = lookup(host: host, port: port, flags: AI_NUMERICHOST),
              !addresses.isEmpty else { return nil }
        return addresses
    }

    public static func resolve(host: String, port: UInt16) throws(TransportError) -> [ResolvedAddress] {
        if let addresses = literal(host: host, port: port) { return addresses }
        var result = lookup(host: host, port: port, flags: AI_ADDRCONFIG)
        if case let .failure(failure) = result, failure.code == EAI_NONAME || failure.code == EAI_FAMILY {
            // AI_ADDRCONFIG hides loopback-only families on machines without other interfaces.
            result = lookup(host: host, port: port, flags: 0)
        }
        switch result {
        case let .success(addresses) where !addresses.isEmpty:
            return addresses
        case .success:
            throw TransportError.nameResolution(host: host, reason: "no addresses")
        case let .failure(failure):
            throw TransportError.nameResolution(host: host, reason: failure.reason)
        }
    }

    /// Why `getaddrinfo` gave no addresses: its code, and the reason in the resolver's words.
    struct LookupFailure: Error {
        var code: Int32
        var reason: String
    }

    /// `getaddrinfo` for stream sockets of any family with these `AI_…` flags: the one call the
    /// client's resolution and the listener's bind address share.
    static func lookup(host: String, port: UInt16, flags: Int32) -> Result<[ResolvedAddress], LookupFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = flags
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0 else {
            let reason = rc == EAI_SYSTEM ? systemErrorMessage(errno) : String(cString: gai_strerror(rc))
            return .failure(LookupFailure(code: rc, reason: reason))
        }
        defer { freeaddrinfo(list) }
        return .success(collect(list))
    }

    private static func collect(_ list: UnsafeMutablePointer<addrinfo>?) -> [ResolvedAddress] {
        var result: [ResolvedAddress] = []
        var node = list
        while let info = node {
            var storage = sockaddr_storage()
            let length = info.pointee.ai_addrlen
            withUnsafeMutableBytes(of: &storage) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(start: info.pointee.ai_addr, count: Int(length)))
            }
            result.append(ResolvedAddress(family: info.pointee.ai_family, storage: storage, length: length))
            node = info.pointee.ai_next
        }
        return result
    }
}
