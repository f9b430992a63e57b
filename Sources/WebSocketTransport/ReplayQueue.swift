/// Messages that may still need sending after a reconnect, oldest first, with where each
/// one's frame ends in the current connection's output stream.
///
/// Payloads live back to back in one byte array and entries in one array, both consumed
/// from the front by moving an index, so queueing a message costs two appends and no
/// allocation of its own. Memory is bounded by the outgoing high-water mark, because
/// entries are dropped as soon as their frame has been written.
struct ReplayQueue {
    private struct Entry {
        var length: Int
        var binary: Bool
        /// Part of the preamble: sent again by the session after a reconnect, never replayed.
        var repeats: Bool
        /// `bytesWritten` at which the whole frame has left the process; 0 when never sent.
        var endOffset: Int
    }

    private var bytes: [UInt8] = []
    private var bytesStart = 0
    private var entries: [Entry] = []
    private var entriesStart = 0

    var isEmpty: Bool { entriesStart == entries.count }
    var count: Int { entries.count - entriesStart }
    var byteCount: Int { bytes.count - bytesStart }

    mutating func append(_ payload: UnsafeRawBufferPointer, binary: Bool, repeats: Bool, endOffset: Int) {
        bytes.append(contentsOf: payload)
        entries.append(Entry(length: payload.count, binary: binary, repeats: repeats, endOffset: endOffset))
    }

    /// Forgets the messages whose frames are completely written (`endOffset <= written`).
    mutating func dropWritten(upTo written: Int) {
        while entriesStart < entries.count {
            let entry = entries[entriesStart]
            guard entry.endOffset > 0, entry.endOffset <= written else { break }
            bytesStart += entry.length
            entriesStart += 1
        }
        if entriesStart == entries.count {
            entries.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            entriesStart = 0
            bytesStart = 0
        } else if entriesStart > 4096 && entriesStart * 2 > entries.count {
            entries.removeFirst(entriesStart)
            bytes.removeFirst(bytesStart)
            entriesStart = 0
            bytesStart = 0
        }
    }

    /// Visits the queued messages in order.
    func forEach(_ body: (_ payload: UnsafeRawBufferPointer, _ binary: Bool, _ repeats: Bool) -> Void) {
        bytes.withUnsafeBytes { raw in
            var offset = bytesStart
            for entry in entries[entriesStart...] {
                body(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + entry.length]), entry.binary, entry.repeats)
                offset += entry.length
            }
        }
    }
}
