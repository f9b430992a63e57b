/// What a session hears from its `SocketIOAdapter`.
protocol SocketIOAdapterDelegate: AnyObject {
    /// An incoming event or ack reply, already formatted (no newline): for stdout.
    func socketIO(_ adapter: SocketIOAdapter, output line: String)
    /// A status line for stderr: the Engine.IO session, the namespace joined.
    func socketIO(_ adapter: SocketIOAdapter, status: String)
    /// Something the user should see even with -q: a packet that was ignored.
    func socketIO(_ adapter: SocketIOAdapter, warning: String)
    /// The namespace was joined on a (new) connection: the session may send from now on.
    func socketIODidJoin(_ adapter: SocketIOAdapter, reconnected: Bool)
    /// The conversation is over: the server disconnected us (`.success`), refused the
    /// namespace (`.handshakeRejected`) or broke the protocol. The session closes the
    /// connection and ends with this status and message.
    func socketIO(_ adapter: SocketIOAdapter, didEnd status: ExitStatus, message: String)
}
