import COpenSSL

/// A cryptographically secure generator that draws from OpenSSL's DRBG (`RAND_bytes`, seeded
/// from the kernel) 4 KiB at a time, so a client sending many small frames makes one library
/// call per 512 draws (1,024 masking keys) instead of one `getrandom` system call per draw.
///
/// The values are as unpredictable as `SystemRandomNumberGenerator`'s (RFC 6455 10.3 asks for
/// keys an application cannot predict); falls back to `SystemRandomNumberGenerator` when
/// `RAND_bytes` fails.
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
        let ok = words.withUnsafeMutableBytes { raw in
            RAND_bytes(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(raw.count)) == 1
        }
        if !ok {
            var system = SystemRandomNumberGenerator()
            for i in words.indices { words[i] = system.next() }
        }
        index = 0
    }
}
