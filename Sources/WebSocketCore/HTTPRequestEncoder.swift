/// An HTTP/1.1 request (head and body) as bytes, for plain HTTP exchanges such as Engine.IO
/// long-polling. Header values are the caller's, already checked (no CR or LF).
public enum HTTPRequestEncoder {
    /// - Parameters:
    ///   - headers: sent after `Host`, in order; a `Content-Length` is added for a body.
    public static func encode(method: String, target: String, host: String, headers: [(String, String)],
                              body: [UInt8]? = nil) -> [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }
}
