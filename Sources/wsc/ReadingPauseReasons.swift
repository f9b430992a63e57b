import WebSocketTransport

/// wsc's reasons to stop reading a connection. Each part withdraws only its own, so stdout
/// draining does not resume a connection whose command is still not reading, and so on.
extension ReadingPauses {
    /// stdout (messages or `--jsonl` records) is full (`OutputBuffer.isFull`).
    static let output = ReadingPauses(rawValue: 1 << 0)
    /// `--exec`: more than `CommandBridge.inputHighWaterMark` bytes wait for the command to read them.
    static let command = ReadingPauses(rawValue: 1 << 1)
    /// `-l --echo`, `--demo`: the client's echoes are not being read (its outgoing buffer is
    /// above the high-water mark).
    static let echo = ReadingPauses(rawValue: 1 << 2)
}
