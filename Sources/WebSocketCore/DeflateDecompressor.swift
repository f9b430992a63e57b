import CZlib

/// Raw DEFLATE decompression of whole messages for permessage-deflate (RFC 7692 7.2.2), by zlib,
/// with a bound on the output.
///
/// Each message's payload is inflated followed by the `00 00 ff ff` the sender removed. The output
/// is produced in chunks of at most `chunkSize` bytes and inflating stops as soon as it passes the
/// limit, so a small message that would inflate to gigabytes costs at most the limit plus one
/// chunk of memory and work. Between messages the window is kept (context takeover) unless
/// `reset()` is called.
///
/// A class because zlib's `z_stream` must stay at one address; it is used from one thread at a
/// time, by the connection that owns it.
final class DeflateDecompressor: @unchecked Sendable {
    enum Failure: Error, Equatable {
        /// The output passed the limit; inflating stopped there.
        case tooLarge
        /// The bytes are not valid DEFLATE data (zlib's message).
        case invalidData(String)
    }

    /// How many bytes of output one `inflate` call may produce.
    static let chunkSize = 64 * 1024

    private let stream: UnsafeMutablePointer<z_stream>
    private let chunk: UnsafeMutableRawBufferPointer
    /// The tail every message had before the sender removed it (RFC 7692 7.2.1), kept in memory
    /// of our own so that zlib can be handed a pointer without a closure around the call.
    private let tail: UnsafeMutableRawBufferPointer

    /// - Parameter windowBits: the window the peer compresses with, 8–15. 8 is inflated with a
    ///   window of 9, since zlib's deflate (which most peers use) turns 8 into 9; a larger window
    ///   than the peer's is always safe for inflating.
    convenience init(windowBits: Int) {
        precondition(PerMessageDeflateElement.windowBitsRange.contains(windowBits), "window bits must be from 8 to 15")
        self.init(exactWindowBits: max(windowBits, 9))
    }

    /// A decompressor whose window is exactly `exactWindowBits` (8–15), 8 included: for tests
    /// that check what a strict peer accepts.
    init(exactWindowBits: Int) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = wsc_inflateInit2(stream, -Int32(exactWindowBits))
        // Only an allocation failure can make this fail, and Swift stops on those anyway.
        precondition(status == Z_OK, "inflateInit2 failed (\(status))")
        chunk = .allocate(byteCount: Self.chunkSize, alignment: 1)
        tail = .allocate(byteCount: 4, alignment: 1)
        tail.copyBytes(from: [0x00, 0x00, 0xFF, 0xFF])
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        chunk.deallocate()
        tail.deallocate()
    }

    /// Inflates one message's payload.
    ///
    /// An empty payload is an empty message: `00 00 ff ff` alone is not a complete block, and
    /// feeding it would leave zlib halfway through a block header (the RFC's own empty
    /// message, 7.2.3.6, is the single byte `00`).
    ///
    /// A message must end at a block boundary once the tail is added (7.2.1); one that does not
    /// is truncated or corrupt, and is refused rather than let it garble the next message.
    ///
    /// - Parameter limit: the largest output accepted; one byte more throws `.tooLarge`.
    func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(Failure) -> [UInt8] {
        guard input.count > 0 else { return [] }
        var output: [UInt8] = []
        do throws(Failure) {
            var ended = try inflate(input, limit: limit, into: &output)
            if !ended {
                ended = try inflate(UnsafeRawBufferPointer(tail), limit: limit, into: &output)
            }
            // zlib sets 128 in data_type when it stopped just before a block header.
            if !ended && stream.pointee.data_type & 128 == 0 {
                throw .invalidData("message does not end at a DEFLATE block boundary")
            }
        } catch {
            reset()
            throw error
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        return output
    }

    /// Forgets the window, for a peer that compresses every message on its own (no context
    /// takeover), and after the peer ended its DEFLATE stream with a final block.
    func reset() {
        inflateReset(stream)
    }

    /// Feeds `input`, appending the output to `output` chunk by chunk. Returns true when the
    /// DEFLATE stream ended (a block with BFINAL set, RFC 7692 7.2.3.4): what follows is ignored
    /// and the next message starts a new stream.
    private func inflate(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout [UInt8]) throws(Failure) -> Bool {
        var offset = 0
        repeat {
            // avail_in is 32 bits wide: feed very large payloads in pieces.
            let piece = min(input.count - offset, 1 << 30)
            stream.pointee.next_in = input.baseAddress.map {
                UnsafeMutablePointer(mutating: ($0 + offset).assumingMemoryBound(to: Bytef.self))
            }
            stream.pointee.avail_in = uInt(piece)
            repeat {
                // Never produce more than one byte beyond the limit.
                let room = min(Self.chunkSize, limit - output.count + 1)
                stream.pointee.next_out = chunk.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(room)
                let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                let produced = room - Int(stream.pointee.avail_out)
                if produced > 0 {
                    guard produced <= limit - output.count else { throw .tooLarge }
                    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<produced]))
                }
                switch status {
                case Z_OK:
                    break
                case Z_STREAM_END:
                    reset()
                    return true
                case Z_BUF_ERROR:
                    // No progress possible: the input is used up and no output is pending.
                    break
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw .invalidData(message)
                }
                if status == Z_BUF_ERROR { break }
            } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0
            offset += piece
        } while offset < input.count
        return false
    }
}
