import Glibc

/// The characters libedit edits with, read from the terminal by the line editor instead of by
/// libedit (it is installed as readline's `rl_getc_function`).
///
/// libedit's own reader blocks in `read(2)` whenever it needs one more byte to finish a key. That
/// is harmless inside an escape sequence, whose bytes arrive together, but an Escape pressed on
/// its own makes libedit wait for the next key inside `rl_callback_read_char`, and the whole poll
/// loop with it: no message printed, no ping answered, no timer run. This reader waits at most
/// ``escapeTimeout`` milliseconds for the byte after an Escape (GNU readline's `keyseq-timeout`
/// is 500 ms too) and then reports end of input, which makes libedit drop the unfinished key.
/// Other waits (the key after Ctrl-V, for instance) still block as libedit's reader does, since
/// libedit treats a missing key there as Ctrl-D.
///
/// Bytes are read in chunks and decoded from UTF-8 here (a readline `getc` function returns a
/// whole character); ``hasBufferedInput`` says when some are waiting in the buffer rather than
/// in the terminal.
///
/// Between keys the editor asks ``peekEditorKey()`` whether the next key is one it handles
/// itself (Enter, Ctrl-D, Alt-Enter, the start of a bracketed paste) before libedit sees it, and
/// collects a paste with ``readPaste(into:)``.
struct TerminalInput {
    /// A key the line editor handles itself instead of passing it to libedit.
    enum EditorKey: Equatable {
        /// Enter (CR or LF): the line is complete.
        case enter
        /// Ctrl-D.
        case endOfFile
        /// Alt-Enter (ESC CR or ESC LF): a line break goes into the line.
        case lineBreak
        /// `ESC [ 200 ~`: the terminal starts a bracketed paste.
        case pasteStart
    }

    /// What a terminal sends around pasted text once bracketed paste mode (`ESC [ ? 2004 h`) is on.
    static let pasteStartMarker: [UInt8] = Array("\u{1B}[200~".utf8)
    static let pasteEndMarker: [UInt8] = Array("\u{1B}[201~".utf8)

    static let escape: Int32 = 0x1B

    let descriptor: Int32
    /// How long to wait for the rest of a key sequence after an Escape, in milliseconds.
    var escapeTimeout: Int32 = 500
    /// How long to wait for the rest of a UTF-8 character, in milliseconds.
    var continuationTimeout: Int32 = 100

    private var buffer: [UInt8] = []
    private var position = 0
    private var previousCharacter: Int32 = -1
    /// ``peekEditorKey()`` already waited ``escapeTimeout`` after a lone Escape: libedit's wait
    /// for the byte after it need not be another one.
    private var escapeWaitSpent = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Bytes have been read from the terminal but not handed to libedit yet.
    var hasBufferedInput: Bool { position < buffer.count }

    /// Forgets what has been read and not handed out: the terminal driver drops its pending
    /// input on Ctrl-C, and so does the editor.
    mutating func discardBuffered() {
        buffer = []
        position = 0
        previousCharacter = -1
        escapeWaitSpent = false
    }

    // MARK: - Keys the editor handles

    /// The key starting at the next unread byte when it is one the editor handles itself, with
    /// its length in bytes, without consuming it (``skip(_:)`` does). After an Escape it waits at
    /// most ``escapeTimeout`` for the rest of the key, as libedit's reader would.
    mutating func peekEditorKey() -> (key: EditorKey, length: Int)? {
        guard fill(atLeast: 1, timeout: 0) else { return nil }
        switch buffer[position] {
        case 0x0D, 0x0A: return (.enter, 1)
        case 0x04: return (.endOfFile, 1)
        case UInt8(Self.escape): break
        default: return nil
        }
        guard fill(atLeast: 2, timeout: escapeTimeout) else {
            escapeWaitSpent = true
            return nil
        }
        let second = buffer[position + 1]
        if second == 0x0D || second == 0x0A { return (.lineBreak, 2) }
        let marker = Self.pasteStartMarker
        var matched = 2
        while matched < marker.count {
            guard buffer[position + matched - 1] == marker[matched - 1] else { return nil }
            guard fill(atLeast: matched + 1, timeout: escapeTimeout) else { return nil }
            matched += 1
        }
        return buffer[position..<position + marker.count].elementsEqual(marker) ? (.pasteStart, marker.count) : nil
    }

    /// Consumes `count` bytes that ``peekEditorKey()`` looked at.
    mutating func skip(_ count: Int) {
        position = min(buffer.count, position + count)
        previousCharacter = -1
    }

    /// Moves the bytes of a bracketed paste to `pasted` up to the end marker, which is consumed
    /// and not copied. Takes only what has arrived (it never waits): returns `true` once the end
    /// marker is read, `false` when the rest of the paste has yet to come.
    mutating func readPaste(into pasted: inout [UInt8]) -> Bool {
        let marker = Self.pasteEndMarker
        while fill(atLeast: 1, timeout: 0) {
            pasted.append(buffer[position])
            position += 1
            if pasted.count >= marker.count, pasted.suffix(marker.count).elementsEqual(marker) {
                pasted.removeLast(marker.count)
                return true
            }
        }
        return false
    }

    /// Reads until at least `count` unread bytes are buffered, waiting at most `timeout`
    /// milliseconds for each read. False when they did not come in time.
    private mutating func fill(atLeast count: Int, timeout: Int32) -> Bool {
        while buffer.count - position < count {
            guard let chunk = readChunk(timeout: timeout) else { return false }
            buffer = Array(buffer[position...]) + chunk
            position = 0
        }
        return true
    }

    /// The next character (a Unicode scalar value, or U+FFFD for bytes that are not UTF-8), or
    /// -1 at end of input, on an error, or when the key after an Escape did not come in time.
    mutating func nextCharacter() -> Int32 {
        var wait: Int32 = -1
        if previousCharacter == Self.escape {
            wait = escapeWaitSpent ? 0 : escapeTimeout
            escapeWaitSpent = false
        }
        guard let first = nextByte(timeout: wait) else {
            previousCharacter = -1
            return -1
        }
        let character = decode(startingWith: first)
        previousCharacter = character
        return character
    }

    private mutating func decode(startingWith first: UInt8) -> Int32 {
        let continuationCount: Int
        let minimum: UInt32
        var value: UInt32
        switch first {
        case 0x00...0x7F: return Int32(first)
        case 0xC2...0xDF: (continuationCount, minimum, value) = (1, 0x80, UInt32(first & 0x1F))
        case 0xE0...0xEF: (continuationCount, minimum, value) = (2, 0x800, UInt32(first & 0x0F))
        case 0xF0...0xF4: (continuationCount, minimum, value) = (3, 0x10000, UInt32(first & 0x07))
        default: return Self.replacementCharacter
        }
        for _ in 0..<continuationCount {
            guard let next = nextByte(timeout: continuationTimeout) else { return Self.replacementCharacter }
            guard next & 0xC0 == 0x80 else {
                // Not a continuation byte: it starts the next character.
                position -= 1
                return Self.replacementCharacter
            }
            value = value << 6 | UInt32(next & 0x3F)
        }
        guard value >= minimum, Unicode.Scalar(value) != nil else { return Self.replacementCharacter }
        return Int32(value)
    }

    private static let replacementCharacter: Int32 = 0xFFFD

    /// The next byte from the buffer, else from the terminal, waiting at most `timeout`
    /// milliseconds (-1: as long as it takes) for it to become readable.
    private mutating func nextByte(timeout: Int32) -> UInt8? {
        if position >= buffer.count {
            guard let chunk = readChunk(timeout: timeout) else { return nil }
            buffer = chunk
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    /// What the terminal has, once it is readable (up to 4 KiB).
    private func readChunk(timeout: Int32) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            var readiness = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&readiness, 1, timeout)
            if ready == 0 { return nil }
            if ready < 0 {
                if errno == EINTR { continue }
                return nil
            }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return Array(chunk[0..<count]) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            return nil
        }
    }
}
