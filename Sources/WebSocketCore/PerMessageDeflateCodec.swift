/// One connection's permessage-deflate state (RFC 7692): the compressor for the messages it
/// sends and the decompressor for those it receives, configured from the negotiated parameters
/// as seen from `role`.
///
/// Each zlib stream is created on first use: a connection that only receives never pays for a
/// compressor (about 256 KiB with a 15-bit window), one that only sends never pays for a
/// decompressor (about 40 KiB).
///
/// A class, owned by one `WebSocketConnection` and used from its thread only; copying the
/// connection value shares it (a connection is never meant to be copied and used twice).
final class PerMessageDeflateCodec: @unchecked Sendable {
    let parameters: PerMessageDeflateParameters
    let role: Role

    @exclusivity(unchecked) private var compressor: DeflateCompressor?
    @exclusivity(unchecked) private var decompressor: DeflateDecompressor?

    init(parameters: PerMessageDeflateParameters, role: Role) {
        self.parameters = parameters
        self.role = role
    }

    /// Compresses one outgoing message; the bytes are valid until the next call.
    func compress(_ payload: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let compressor = self.compressor ?? DeflateCompressor(windowBits: parameters.compressorWindowBits(as: role))
        self.compressor = compressor
        let compressed = compressor.compress(payload)
        if parameters.resetsCompressor(as: role) {
            // Resetting leaves the output buffer alone, so `compressed` stays valid.
            compressor.reset()
        }
        return compressed
    }

    /// Inflates one received message whose first frame had RSV1 set, stopping as soon as the
    /// output passes `limit` (1009). Text is not validated here.
    func decompress(_ payload: [UInt8], limit: Int) throws(ProtocolViolation) -> [UInt8] {
        let decompressor = self.decompressor ?? DeflateDecompressor(windowBits: parameters.decompressorWindowBits(as: role))
        self.decompressor = decompressor
        let result: Result<[UInt8], DeflateDecompressor.Failure> = payload.withUnsafeBytes { bytes in
            do throws(DeflateDecompressor.Failure) {
                return .success(try decompressor.decompress(bytes, limit: limit))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case let .success(message):
            if parameters.resetsDecompressor(as: role) {
                // The peer compressed the message on its own; nothing to keep.
                decompressor.reset()
            }
            return message
        case .failure(.tooLarge):
            throw .decompressedMessageTooLarge(limit: limit)
        case let .failure(.invalidData(reason)):
            throw .invalidCompressedData(reason)
        }
    }
}
