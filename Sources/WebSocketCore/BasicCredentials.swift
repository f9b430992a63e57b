/// A user name and password for HTTP Basic authentication (RFC 7617), usually taken from the
/// `user:password@` part of the URL.
///
/// `description` hides the password so that printing a URL or a configuration does not leak it.
public struct BasicCredentials: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Parses the userinfo of a URL: `user:password`, each percent-decoded. The first `:` separates
    /// the two, so a password may contain further colons; without a colon the password is empty.
    public init(parsing userColonPassword: String) throws(WebSocketURLError) {
        let user: Substring
        let password: Substring
        if let colon = userColonPassword.firstIndex(of: ":") {
            user = userColonPassword[..<colon]
            password = userColonPassword[userColonPassword.index(after: colon)...]
        } else {
            user = userColonPassword[...]
            password = ""
        }
        guard let decodedUser = Self.percentDecoded(user),
              let decodedPassword = Self.percentDecoded(password)
        else { throw .invalidCredentials }
        self.init(user: decodedUser, password: decodedPassword)
    }

    /// The value of an `Authorization` header: `Basic ` and the base64 of `user:password` in UTF-8.
    public var authorizationHeaderValue: String {
        "Basic " + Base64.encode(Array((user + ":" + password).utf8))
    }

    public var description: String {
        "\(user):<hidden>"
    }

    /// Decodes `%XX` escapes; nil when an escape is malformed or the result is not UTF-8.
    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue),
                  let low = iterator.next().flatMap(hexValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
