import Glibc

/// Asks for a private key's passphrase on the controlling terminal (`--passphrase` without a
/// value), echoing nothing, before anything connects. The terminal is read byte by byte with
/// echo, line mode and signals off, so Ctrl-C cancels without leaving the terminal silent.
enum PassphrasePrompt {
    enum Failure: Error {
        /// No controlling terminal to ask on.
        case noTerminal
        /// Ctrl-C, or Ctrl-D on an empty answer.
        case cancelled
    }

    static func ask(_ question: String) throws(Failure) -> String {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw .noTerminal }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw .noTerminal }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { $0[Int(VMIN)] = 1; $0[Int(VTIME)] = 0 }
        tcsetattr(fd, TCSAFLUSH, &raw)
        defer {
            tcsetattr(fd, TCSAFLUSH, &saved)
            write(fd, "\n", 1)
        }
        _ = question.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        var answer: [UInt8] = []
        var byte: UInt8 = 0
        while answer.count < 4096 {
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { throw .cancelled }
            switch byte {
            case 0x0A, 0x0D: return String(decoding: answer, as: UTF8.self)
            case 0x03: throw .cancelled
            case 0x04:
                if answer.isEmpty { throw .cancelled }
                return String(decoding: answer, as: UTF8.self)
            case 0x7F, 0x08:
                // One character: a UTF-8 sequence's continuation bytes, then its first byte.
                while let last = answer.popLast(), last & 0xC0 == 0x80 {}
            case 0x15: answer.removeAll()
            default: answer.append(byte)
            }
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
