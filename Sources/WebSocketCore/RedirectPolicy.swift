/// What following redirects may do with a 3xx answer to the upgrade request: which statuses are redirects, how
/// many hops are allowed, whether leaving TLS is allowed, and where the user's credentials may go.
///
/// The credential rule is curl's since 7.83 (CVE-2022-27774): `Authorization` and `Cookie`
/// headers, the user's credentials and the URL's `user:password` go only to the origin the user gave (scheme,
/// host and port all equal). A redirect elsewhere gets none of them, except credentials written in
/// the `Location` itself, which the redirecting server chose to hand out. Pure: no I/O.
public struct RedirectPolicy: Sendable, Equatable {
    /// The statuses followed; every one of them carries `Location`.
    public static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]
    /// Request headers that carry secrets and are removed when leaving the user's origin.
    public static let credentialHeaders: Set<String> = ["authorization", "cookie"]

    /// Redirects followed at most before giving up.
    public var maxRedirects: Int
    /// Whether a `wss://` connection may be redirected to `ws://` (off: refused).
    public var allowsInsecureRedirect: Bool

    public init(maxRedirects: Int = 10, allowsInsecureRedirect: Bool = false) {
        self.maxRedirects = maxRedirects
        self.allowsInsecureRedirect = allowsInsecureRedirect
    }

    public func isRedirect(status: Int) -> Bool {
        Self.redirectStatuses.contains(status)
    }

    /// Where a redirect leads, or why it is not followed. `current` is the URL that answered,
    /// `hopsSoFar` the redirects already followed for this connection.
    public func target(location: String?, from current: WebSocketURL, hopsSoFar: Int) -> Result<WebSocketURL, RedirectRefusal> {
        guard let location, !location.isEmpty else { return .failure(.missingLocation) }
        guard hopsSoFar < maxRedirects else { return .failure(.tooManyRedirects(hopsSoFar)) }
        let next: WebSocketURL
        do {
            next = try RedirectTarget.resolve(location, relativeTo: current)
        } catch {
            return .failure(.invalidLocation(location, error))
        }
        if current.isSecure && !next.isSecure && !allowsInsecureRedirect {
            return .failure(.insecureRedirect(from: current, to: next))
        }
        return .success(next)
    }

    /// Scheme (TLS or not), host (case-insensitively) and port; and the same Unix socket, if any.
    public static func isSameOrigin(_ a: WebSocketURL, _ b: WebSocketURL) -> Bool {
        a.isSecure == b.isSecure && a.port == b.port && a.unixSocketPath == b.unixSocketPath
            && HTTPSyntax.asciiLowercased(a.host) == HTTPSyntax.asciiLowercased(b.host)
    }

    /// The headers and credentials to send to `target` when the user asked for `given`, with
    /// `headers` (the user's extra headers) and `credentials` (the user's, which win over the URL's own).
    public static func request(
        to target: WebSocketURL, given: WebSocketURL, headers: [(name: String, value: String)],
        credentials: BasicCredentials?
    ) -> (headers: [(name: String, value: String)], credentials: BasicCredentials?) {
        if isSameOrigin(target, given) {
            return (headers, credentials ?? target.credentials ?? given.credentials)
        }
        let kept = headers.filter { !credentialHeaders.contains(HTTPSyntax.asciiLowercased($0.name)) }
        return (kept, target.credentials)
    }
}

/// Why a redirect is not followed.
public enum RedirectRefusal: Error, Sendable, Equatable {
    case missingLocation
    /// The limit was reached after this many redirects.
    case tooManyRedirects(Int)
    case invalidLocation(String, WebSocketURLError)
    /// From `wss://` to `ws://`: what TLS protected would travel in clear text.
    case insecureRedirect(from: WebSocketURL, to: WebSocketURL)
}

extension RedirectRefusal: CustomStringConvertible {
    public var description: String {
        switch self {
        case .missingLocation: return "no Location header"
        case let .tooManyRedirects(count): return "too many redirects (\(count))"
        case let .invalidLocation(location, error): return "cannot follow Location '\(location)': \(error)"
        case let .insecureRedirect(from, to): return "from \(from) to \(to) would leave TLS"
        }
    }
}
