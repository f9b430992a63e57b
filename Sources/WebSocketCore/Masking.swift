/// A 4-byte masking key (RFC 6455 5.3) and the XOR that applies it.
///
/// Masking is the one operation that touches every payload byte of every frame a client sends
/// and a server receives, so it works on whole 64-bit words: the key is replicated into a word
/// (rotated for the *phase*, the payload offset modulo 4, so a payload can be processed in
/// pieces), words are XORed with unaligned loads and stores, and only the last few bytes are
/// handled one at a time.
public struct MaskingKey: Sendable, Hashable, CustomStringConvertible {
    /// The four key bytes in wire order, byte 0 in the most significant position. Stored as one
    /// integer so the key is cheap to copy and compare.
    public var bigEndianValue: UInt32

    public init(bigEndianValue: UInt32) {
        self.bigEndianValue = bigEndianValue
    }

    /// A key from its four bytes in wire order, e.g. `MaskingKey(0x37, 0xfa, 0x21, 0x3d)`.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        bigEndianValue = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
    }

    /// A fresh key from `generator`. The next 32 bits it produces are used as the key bytes.
    public init<R: RandomNumberGenerator>(using generator: inout R) {
        bigEndianValue = UInt32(truncatingIfNeeded: generator.next() as UInt64)
    }

    /// Key byte `index` (0...3) in wire order.
    public func byte(_ index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: bigEndianValue >> (24 - 8 * UInt32(index & 3)))
    }

    /// The key bytes in wire order.
    public var bytes: [UInt8] { [byte(0), byte(1), byte(2), byte(3)] }

    public var description: String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 0x10 ? "0" + digits : digits
        }.joined(separator: " ")
    }

    /// The key replicated into a word whose in-memory bytes are key[phase], key[phase+1], …,
    /// independent of the machine's byte order, so `word ^ load(8 payload bytes)` masks them.
    private func replicatedWord(phase: Int) -> UInt64 {
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { raw in
            for index in 0..<8 {
                raw[index] = byte(phase + index)
            }
        }
        return word
    }

    /// Masks (or unmasks: XOR is its own inverse) `buffer` in place. `phase` is the offset of
    /// `buffer`'s first byte within the frame payload (only its value modulo 4 matters); pass
    /// the running offset when a payload arrives in pieces.
    public func apply(to buffer: UnsafeMutableRawBufferPointer, phase: Int = 0) {
        // In place is a copy onto itself: every word is loaded before it is stored.
        copy(from: UnsafeRawBufferPointer(buffer), to: buffer, phase: phase)
    }

    /// Copies `source` into `destination` (which must be at least as long, and either be the same
    /// memory or not overlap it), masking on the way:
    /// one pass over the bytes instead of a copy followed by an in-place XOR. `phase` as in
    /// `apply(to:phase:)`.
    public func copy(
        from source: UnsafeRawBufferPointer,
        to destination: UnsafeMutableRawBufferPointer,
        phase: Int = 0
    ) {
        let count = source.count
        precondition(destination.count >= count, "masking destination is too short")
        guard count > 0, let from = source.baseAddress, let to = destination.baseAddress else { return }
        let word = replicatedWord(phase: phase & 3)
        var index = 0
        while count - index >= 32 {
            let a = from.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let b = from.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
            let c = from.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
            let d = from.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            to.storeBytes(of: a ^ word, toByteOffset: index, as: UInt64.self)
            to.storeBytes(of: b ^ word, toByteOffset: index + 8, as: UInt64.self)
            to.storeBytes(of: c ^ word, toByteOffset: index + 16, as: UInt64.self)
            to.storeBytes(of: d ^ word, toByteOffset: index + 24, as: UInt64.self)
            index += 32
        }
        while count - index >= 8 {
            let a = from.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            to.storeBytes(of: a ^ word, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        var keyIndex = phase & 3
        while index < count {
            destination[index] = source[index] ^ byte(keyIndex)
            keyIndex += 1
            index += 1
        }
    }
}
