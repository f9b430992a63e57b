/// An incremental UTF-8 validator that can be fed a text message in arbitrary pieces.
///
/// RFC 6455 8.1 requires failing the connection (1007) when a text message is not valid UTF-8,
/// and the Autobahn 6.4.x cases require doing so *as soon as* the first invalid byte arrives,
/// not when the message completes. So validation cannot be a check on the finished message: it
/// keeps the position inside the current multi-byte sequence between calls, and a sequence may be
/// split anywhere, even between two frames.
///
/// The accepted language is exactly RFC 3629: overlong encodings (`C0`, `C1`, `E0 80..9F`,
/// `F0 80..8F`), UTF-16 surrogates (`ED A0..BF`) and code points above U+10FFFF (`F4 90..`,
/// `F5..FF`) are rejected at the first byte that makes them impossible, which is what "fail fast"
/// means for a sequence that is still incomplete.
public struct UTF8Validator: Sendable, Equatable {
    /// Continuation bytes still expected for the current sequence (0 between characters).
    private var remaining: UInt8 = 0
    /// Inclusive range the *next* continuation byte must fall in. Only the second byte of a
    /// sequence has a narrower range than `80...BF`; that is how overlongs, surrogates and
    /// out-of-range code points are excluded without decoding the scalar.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// Sticky: once an invalid byte was seen, the text can never become valid again.
    public private(set) var hasFailed = false

    public init() {}

    /// Whether everything fed so far is valid and ends on a character boundary, i.e. whether a
    /// message ending here would be valid UTF-8.
    public var isAtCharacterBoundary: Bool { remaining == 0 && !hasFailed }

    /// Forgets everything fed so far, ready for the next message.
    public mutating func reset() {
        self = UTF8Validator()
    }

    /// Validates the next piece of a text. Returns `false` as soon as a byte is seen that cannot
    /// be part of valid UTF-8 given everything before it (and keeps returning `false` until
    /// `reset()`); returns `true` if the text is valid so far (it may still end mid-character:
    /// check `isAtCharacterBoundary` at the end of the message).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if hasFailed { return false }
        let count = bytes.count
        var index = 0
        while index < count {
            if remaining == 0 {
                // ASCII fast path: skip whole words whose bytes all have the top bit clear.
                // Text in the wild is mostly ASCII, so this is where validation spends its time.
                while count - index >= 16 {
                    let a = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let b = bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                    if (a | b) & 0x8080_8080_8080_8080 != 0 { break }
                    index += 16
                }
                while count - index >= 8 {
                    let a = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    if a & 0x8080_8080_8080_8080 != 0 { break }
                    index += 8
                }
                if index == count { break }
                let byte = bytes[index]
                index += 1
                if byte < 0x80 { continue }
                if !startSequence(with: byte) {
                    hasFailed = true
                    return false
                }
            } else {
                let byte = bytes[index]
                index += 1
                guard byte >= lower && byte <= upper else {
                    hasFailed = true
                    return false
                }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    /// Validates a complete text in one go.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = UTF8Validator()
        return validator.feed(bytes) && validator.isAtCharacterBoundary
    }

    /// Sets up the expectations for the continuation bytes after a non-ASCII lead byte.
    /// Returns `false` if the byte cannot start a sequence at all.
    private mutating func startSequence(with lead: UInt8) -> Bool {
        switch lead {
        case 0xC2...0xDF:
            remaining = 1
        case 0xE0:
            remaining = 2
            lower = 0xA0  // below is an overlong 3-byte form
        case 0xE1...0xEC, 0xEE...0xEF:
            remaining = 2
        case 0xED:
            remaining = 2
            upper = 0x9F  // above are the surrogates U+D800...U+DFFF
        case 0xF0:
            remaining = 3
            lower = 0x90  // below is an overlong 4-byte form
        case 0xF1...0xF3:
            remaining = 3
        case 0xF4:
            remaining = 3
            upper = 0x8F  // above is beyond U+10FFFF
        default:
            // 80...BF: a continuation byte without a lead; C0, C1: always overlong;
            // F5...FF: would encode beyond U+10FFFF.
            return false
        }
        return true
    }
}
