/// Cuts a byte stream into lines (LF or CRLF, the terminator removed) without copying
/// lines that lie whole inside one chunk: the hot path of pipe mode.
struct LineSplitter {
    /// The start of a line whose end has not arrived yet.
    private var partial: [UInt8] = []
    /// 1-based number of the next line to be emitted, for error messages.
    private(set) var nextLineNumber = 1

    /// Calls `body` with each complete line in `chunk`, in order. `body` returns false to stop;
    /// then the remaining bytes are dropped and `feed` returns false.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) -> Bool) -> Bool {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return true }
        var start = 0
        while start < chunk.count {
            guard let found = memchrNewline(base + start, chunk.count - start) else { break }
            let end = found - base
            let keepGoing: Bool
            if partial.isEmpty {
                keepGoing = emit(UnsafeRawBufferPointer(start: base + start, count: end - start), body)
            } else {
                partial.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: end - start))
                let line = partial
                partial.removeAll(keepingCapacity: true)
                keepGoing = line.withUnsafeBytes { emit($0, body) }
            }
            if !keepGoing { return false }
            start = end + 1
        }
        if start < chunk.count {
            partial.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: chunk.count - start))
        }
        return true
    }

    /// At end of input: the last line when it had no terminator.
    mutating func finish(_ body: (UnsafeRawBufferPointer, Int) -> Bool) -> Bool {
        guard !partial.isEmpty else { return true }
        let line = partial
        partial.removeAll()
        return line.withUnsafeBytes { emit($0, body) }
    }

    /// Bytes held for an unfinished line (bounded by the longest line in the input).
    var bufferedCount: Int { partial.count }

    private mutating func emit(_ line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) -> Bool) -> Bool {
        var line = line
        if let last = line.last, last == 0x0D {
            line = UnsafeRawBufferPointer(rebasing: line.dropLast())
        }
        let number = nextLineNumber
        nextLineNumber += 1
        return body(line, number)
    }

    private func memchrNewline(_ start: UnsafeRawPointer, _ count: Int) -> UnsafeRawPointer? {
        // A plain loop over bytes: the optimizer turns it into a tight scan, and it avoids
        // importing libc into this pure type.
        var p = start.assumingMemoryBound(to: UInt8.self)
        let end = p + count
        while p < end {
            if p.pointee == 0x0A { return UnsafeRawPointer(p) }
            p += 1
        }
        return nil
    }
}
