import WebSocketCore

/// What `--socketio` and its options ask for.
struct SocketIOSettings {
    /// The namespace to join: `/` or e.g. `/admin`.
    var namespace = "/"
    /// `--socketio-auth`: the CONNECT packet's payload, a JSON object.
    var auth: JSONValue?
    /// `--ack`: every emit asks the server for an acknowledgement, and its reply is printed.
    var requestsAcks = false
    var style: SocketIOLineFormat.Style = .plain
    /// How long to wait for the Engine.IO open packet and the namespace's answer on a new connection.
    var handshakeTimeout: Double = 10
}
