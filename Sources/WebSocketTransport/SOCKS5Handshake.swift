import WebSocketCore

/// The client side of a SOCKS5 handshake (RFC 1928, with RFC 1929 username/password
/// authentication), as a pure state machine: it gives the bytes to send and is fed the proxy's
/// answers. Only the CONNECT command.
struct SOCKS5Handshake {
    /// Where the proxy should connect: a name it resolves itself, or an address we resolved.
    enum Destination: Equatable {
        case name(String)
        case ipv4([UInt8])
        case ipv6([UInt8])
    }

    private enum State {
        case choosingMethod, authenticating, connecting, established
    }

    private let destination: Destination
    private let port: UInt16
    private let credentials: BasicCredentials?
    private var state = State.choosingMethod

    init(destination: Destination, port: UInt16, credentials: BasicCredentials?) throws(SOCKS5Error) {
        if case let .name(name) = destination, name.utf8.count > 255 || name.isEmpty {
            throw .nameTooLong(name.utf8.count)
        }
        if let credentials, credentials.user.utf8.count > 255 || credentials.password.utf8.count > 255
            || credentials.user.isEmpty {
            throw .unusableCredentials
        }
        self.destination = destination
        self.port = port
        self.credentials = credentials
    }

    /// The greeting: no authentication, and username/password when we have credentials.
    var greeting: [UInt8] {
        credentials == nil ? [5, 1, Method.none] : [5, 2, Method.none, Method.password]
    }

    /// Consumes the proxy's bytes at the start of `input` as far as they make a complete answer.
    mutating func advance(_ input: inout [UInt8]) throws(SOCKS5Error) -> TunnelStep {
        switch state {
        case .choosingMethod:
            guard input.count >= 2 else { return .needMore }
            let (version, method) = (input[0], input[1])
            input.removeFirst(2)
            guard version == 5 else { throw .malformedReply("version \(version) in the method choice") }
            switch method {
            case Method.none:
                state = .connecting
                return .send(connectRequest)
            case Method.password where credentials != nil:
                state = .authenticating
                return .send(passwordRequest)
            case Method.noneAcceptable:
                throw .noAcceptableMethod(offeredPassword: credentials != nil)
            default:
                throw .unexpectedMethod(method)
            }
        case .authenticating:
            guard input.count >= 2 else { return .needMore }
            let status = input[1]
            input.removeFirst(2)
            guard status == 0 else { throw .authenticationFailed }
            state = .connecting
            return .send(connectRequest)
        case .connecting:
            guard input.count >= 5 else { return .needMore }
            guard input[0] == 5 else { throw .malformedReply("version \(input[0]) in the reply") }
            guard input[1] == 0 else { throw .requestFailed(reply: input[1]) }
            let addressLength: Int
            switch input[3] {
            case 1: addressLength = 4
            case 4: addressLength = 16
            case 3: addressLength = 1 + Int(input[4])
            default: throw .malformedReply("address type \(input[3]) in the reply")
            }
            let total = 4 + addressLength + 2
            guard input.count >= total else { return .needMore }
            input.removeFirst(total)
            state = .established
            return .established
        case .established:
            return .established
        }
    }

    /// Why the proxy's hanging up at this point failed the handshake.
    var errorAtEndOfStream: SOCKS5Error {
        switch state {
        case .choosingMethod: return .closed(.choosingMethod)
        // Proxies that refuse a username or password often just hang up (pproxy does).
        case .authenticating: return .authenticationFailed
        case .connecting, .established: return .closed(.connecting)
        }
    }

    private enum Method {
        static let none: UInt8 = 0
        static let password: UInt8 = 2
        static let noneAcceptable: UInt8 = 0xFF
    }

    /// RFC 1929: version 1, then the username and password, each with its length.
    private var passwordRequest: [UInt8] {
        guard let credentials else { return [] }
        let user = Array(credentials.user.utf8), password = Array(credentials.password.utf8)
        return [1, UInt8(user.count)] + user + [UInt8(password.count)] + password
    }

    /// CONNECT: version, command 1, reserved, the address with its type, the port.
    private var connectRequest: [UInt8] {
        var request: [UInt8] = [5, 1, 0]
        switch destination {
        case let .ipv4(address): request += [1] + address
        case let .ipv6(address): request += [4] + address
        case let .name(name): request += [3, UInt8(name.utf8.count)] + Array(name.utf8)
        }
        return request + [UInt8(port >> 8), UInt8(port & 0xFF)]
    }
}

/// Why a SOCKS5 proxy did not open the tunnel.
public enum SOCKS5Error: Error, Sendable, Equatable {
    /// The proxy accepts none of the methods offered (0xFF): it wants a username and password
    /// and none were given, or refuses them.
    case noAcceptableMethod(offeredPassword: Bool)
    /// A method we did not offer.
    case unexpectedMethod(UInt8)
    /// The username or password was refused (RFC 1929 status not 0, or the proxy hung up).
    case authenticationFailed
    /// The CONNECT request failed with this reply code (RFC 1928 section 6).
    case requestFailed(reply: UInt8)
    case malformedReply(String)
    /// The proxy closed the connection at this stage.
    case closed(Stage)
    /// A target name longer than SOCKS5 can carry (255 bytes).
    case nameTooLong(Int)
    /// An empty username, or one or a password longer than 255 bytes.
    case unusableCredentials

    public enum Stage: Sendable, Equatable {
        case choosingMethod, connecting
    }

    /// RFC 1928's name for a reply code.
    public static func replyName(_ code: UInt8) -> String {
        switch code {
        case 1: return "general SOCKS server failure"
        case 2: return "connection not allowed by ruleset"
        case 3: return "network unreachable"
        case 4: return "host unreachable"
        case 5: return "connection refused"
        case 6: return "TTL expired"
        case 7: return "command not supported"
        case 8: return "address type not supported"
        default: return "unassigned reply code"
        }
    }
}

extension SOCKS5Error: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .noAcceptableMethod(offeredPassword):
            return offeredPassword ? "the proxy accepts neither no authentication nor username/password"
                : "the proxy requires authentication"
        case let .unexpectedMethod(method):
            return "the proxy chose authentication method \(method), which was not offered"
        case .authenticationFailed:
            return "the proxy refused the username and password"
        case let .requestFailed(reply):
            return "\(SOCKS5Error.replyName(reply)) (reply \(reply))"
        case let .malformedReply(detail):
            return "malformed reply: \(detail)"
        case .closed(.choosingMethod):
            return "the proxy closed the connection before choosing an authentication method"
        case .closed(.connecting):
            return "the proxy closed the connection before answering CONNECT"
        case let .nameTooLong(length):
            return "the host name is \(length) bytes long; SOCKS5 carries 1 to 255"
        case .unusableCredentials:
            return "SOCKS5 needs a username of 1 to 255 bytes and a password of at most 255"
        }
    }
}
