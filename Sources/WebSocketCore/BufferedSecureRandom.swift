import Glibc
import CSystemShims

/// A cryptographically secure generator that draws from the kernel's CSPRNG (`getrandom(2)`)
/// 4 KiB at a time, so a client sending many small frames makes one system call per 512 draws
/// (1,024 masking keys) instead of one per draw, as `SystemRandomNumberGenerator` does.
///
/// The values are as unpredictable as `SystemRandomNumberGenerator`'s (RFC 6455 10.3 asks for
/// keys an application cannot predict). Not OpenSSL's `RAND_bytes`: its first call loads an
/// OpenSSL provider, about 2 MiB of resident memory that a ws:// connection has no other use
/// for. Falls back to `SystemRandomNumberGenerator` if the kernel call fails.
public struct BufferedSecureRandom: RandomNumberGenerator, Sendable {
    private static let wordsPerRefill = 512
    private var words: [UInt64]
    private var index: Int

    public init() {
        words = []
        index = 0
    }

    public mutating func next() -> UInt64 {
        if index == words.count {
            refill()
        }
        let value = words[index]
        index += 1
        return value
    }

    private mutating func refill() {
        if words.count != Self.wordsPerRefill {
            words = [UInt64](repeating: 0, count: Self.wordsPerRefill)
        }
        let ok = words.withUnsafeMutableBytes { Self.fillFromKernel($0) }
        if !ok {
            var system = SystemRandomNumberGenerator()
            for i in words.indices { words[i] = system.next() }
        }
        index = 0
    }

    /// Fills `buffer` from the kernel's CSPRNG; false if it cannot.
    private static func fillFromKernel(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        var filled = 0
        while filled < buffer.count {
            // Requests up to 256 bytes never return short; larger ones may after a signal.
            let n = getrandom(base + filled, buffer.count - filled, 0)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            filled += n
        }
        return true
    }
}
