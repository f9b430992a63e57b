import COpenSSL

/// SHA-1, which RFC 6455 prescribes for `Sec-WebSocket-Accept`.
///
/// It is computed by libcrypto, which the transport links for TLS anyway, rather than by a
/// hand-written implementation that would need its own review; through the low-level
/// interface (`wsc_sha1` in the shim), which does not load an OpenSSL provider.
public enum SHA1 {
    /// The length of a digest in bytes.
    public static let digestLength = 20

    /// The 20-byte SHA-1 digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: digestLength)
        bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { digest in
                let ok = wsc_sha1(input.baseAddress, input.count, digest.baseAddress)
                precondition(ok == 1, "libcrypto's SHA-1 failed")
            }
        }
        return output
    }
}
