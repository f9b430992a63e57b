import WebSocketCore
import SocketIO

/// What `--socketio` and its options ask for.
struct SocketIOSettings {
    /// The namespace to join: `/` or e.g. `/admin`.
    var namespace = "/"
    /// `--socketio-auth`: the CONNECT packet's payload, a JSON object.
    var auth: JSONValue?
    /// `--ack`: every emit asks the server for an acknowledgement, and its reply is printed.
    var requestsAcks = false
    /// `--auto-ack`: every request of the server for an acknowledgement is answered at once, empty.
    var autoAcks = false
    /// How received binary attachments are shown in the JSON (per `--binary-format`).
    var binaryForm: SocketIOLineFormat.BinaryForm = .hex
    var style: SocketIOLineFormat.Style = .plain
    /// How long to wait for the Engine.IO open packet and the namespace's answer on a new connection.
    var handshakeTimeout: Double = 10
}
