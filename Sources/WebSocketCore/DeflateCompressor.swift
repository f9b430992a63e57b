import CZlib

/// Raw DEFLATE compression of whole messages for permessage-deflate (RFC 7692 7.2.1), by zlib.
///
/// Each message is compressed and flushed with `Z_SYNC_FLUSH`, which ends it on a byte boundary
/// with an empty stored block `00 00 ff ff`; those four bytes are removed, as the RFC requires.
/// Between messages the LZ77 window is kept (context takeover) unless `reset()` is called.
///
/// A class because zlib's `z_stream` must stay at one address (zlib keeps a pointer back to
/// it); it is used from one thread at a time, by the connection that owns it.
final class DeflateCompressor: @unchecked Sendable {
    /// zlib's default level (6): the usual trade of speed for size.
    static let level = Z_DEFAULT_COMPRESSION
    /// zlib's default memory level: 128 KiB of hash tables besides the window.
    static let memoryLevel: Int32 = 8

    private let stream: UnsafeMutablePointer<z_stream>
    /// Where compressed bytes are produced; grown as needed and reused across messages.
    @exclusivity(unchecked) private var output: UnsafeMutableRawBufferPointer

    /// - Parameter windowBits: the negotiated window, 8–15. zlib's raw deflate does not support 8,
    ///   so 8 becomes 9, as other implementations do: zlib never emits a distance beyond
    ///   2^bits − 262 bytes, so with 9 the stream still fits a 256-byte window.
    init(windowBits: Int) {
        precondition(PerMessageDeflateElement.windowBitsRange.contains(windowBits), "window bits must be from 8 to 15")
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = wsc_deflateInit2(stream, Self.level, -Int32(max(windowBits, 9)), Self.memoryLevel)
        // Only an allocation failure can make this fail, and Swift stops on those anyway.
        precondition(status == Z_OK, "deflateInit2 failed (\(status))")
        output = .allocate(byteCount: 4096, alignment: 1)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Compresses one message. The result is valid until the next call: the caller copies it
    /// into a frame at once.
    func compress(_ input: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        // deflateBound covers a whole stream; a sync flush adds at most a few bytes more.
        let bound = Int(deflateBound(stream, uLong(input.count))) + 16
        if output.count < bound || (output.count > 4 << 20 && output.count / 4 > bound) {
            // Large enough for this message, and not holding on to the memory of a huge one.
            reallocate(to: bound, keeping: 0)
        }

        var produced = 0
        var offset = 0
        repeat {
            // avail_in is 32 bits wide: feed very large messages in pieces.
            let piece = min(input.count - offset, 1 << 30)
            let isLastPiece = offset + piece == input.count
            stream.pointee.next_in = input.baseAddress.map {
                UnsafeMutablePointer(mutating: ($0 + offset).assumingMemoryBound(to: Bytef.self))
            }
            stream.pointee.avail_in = uInt(piece)
            repeat {
                // zlib asks for more than 6 bytes of room per call while flushing.
                if output.count - produced < 16 { reallocate(to: output.count * 2, keeping: produced) }
                stream.pointee.next_out = (output.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(min(output.count - produced, Int(UInt32.max)))
                let available = Int(stream.pointee.avail_out)
                let status = deflate(stream, isLastPiece ? Z_SYNC_FLUSH : Z_NO_FLUSH)
                // Z_BUF_ERROR only says no progress was possible: nothing left to do.
                precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed (\(status))")
                produced += available - Int(stream.pointee.avail_out)
            } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0
            offset += piece
        } while offset < input.count

        // The sync flush ends with 00 00 ff ff (7.2.1: remove it).
        if produced >= 4, output[produced - 4] == 0, output[produced - 3] == 0,
           output[produced - 2] == 0xFF, output[produced - 1] == 0xFF {
            produced -= 4
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        return UnsafeRawBufferPointer(rebasing: output[0..<produced])
    }

    /// Forgets the window: the next message is compressed without references to earlier ones
    /// (no context takeover).
    func reset() {
        deflateReset(stream)
    }

    private func reallocate(to count: Int, keeping prefix: Int) {
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        if prefix > 0 {
            larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: output[0..<prefix]))
        }
        output.deallocate()
        output = larger
    }
}
