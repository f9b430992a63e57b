import Glibc
import WebSocketCore
import WebSocketTransport

/// `-l PORT --exec CMD`: one command per client, websocketd's model. Each client's messages are
/// its command's stdin lines and the command's stdout lines go back to that client; the command
/// ends when the client leaves (stdin closed, SIGTERM after the grace, then SIGKILL), and the
/// client is closed with 1000 when its command exits. Each command finds the client's address
/// and request in WSC_REMOTE_ADDR, WSC_REMOTE_PORT, WSC_PATH and WSC_QUERY.
final class ClientCommands: CommandBridgeDelegate {
    private struct Entry {
        var bridge: CommandBridge
        var connection: RecordingServerConnection
        var connectionFinished = false
    }

    private let command: String
    private let sendsBinary: Bool
    private let grace: Double
    private let loop: EventLoop
    private let reporter: StatusReporter
    /// By client id; an entry stays until both the command and the connection have ended.
    private var entries: [Int: Entry] = [:]
    /// Called when the last command has ended (listen mode is shutting down).
    var onIdle: (() -> Void)?

    init(command: String, sendsBinary: Bool, grace: Double, loop: EventLoop, reporter: StatusReporter) {
        self.command = command
        self.sendsBinary = sendsBinary
        self.grace = grace
        self.loop = loop
        self.reporter = reporter
    }

    /// No command is running.
    var isEmpty: Bool { entries.isEmpty }

    /// The environment a client's command gets. A client of a Unix domain socket has no address
    /// of its own: WSC_REMOTE_ADDR names the socket it came through (`unix:PATH`, as the status
    /// line does), so a script can tell it from an IP client, and WSC_REMOTE_PORT is empty.
    static func environment(for connection: RecordingServerConnection) -> [(String, String)] {
        let target = connection.handshake?.request.target ?? "/"
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let peer = connection.peer
        return [
            ("WSC_REMOTE_ADDR", peer.unixSocketPath == nil ? peer.host : peer.description),
            ("WSC_REMOTE_PORT", peer.unixSocketPath == nil ? String(peer.port) : ""),
            ("WSC_PATH", String(parts.first ?? "/")),
            ("WSC_QUERY", parts.count > 1 ? String(parts[1]) : ""),
        ]
    }

    func clientOpened(_ connection: RecordingServerConnection) {
        let process: CommandProcess
        do {
            process = try CommandProcess.spawn(command, environment: Self.environment(for: connection))
        } catch {
            reporter.warning("client \(connection.id): --exec: \(CommandBridge.describe(error))")
            connection.close(code: CloseCode.internalError, reason: "cannot run the command", timeout: grace)
            return
        }
        let bridge = CommandBridge(process: process, connection: connection, sendsBinary: sendsBinary,
                                   loop: loop, delegate: self)
        entries[connection.id] = Entry(bridge: bridge, connection: connection)
        bridge.start()
    }

    func deliver(_ payload: [UInt8], from connection: RecordingServerConnection) {
        entries[connection.id]?.bridge.deliver(payload)
    }

    func canAcceptMoreOutput(_ connection: RecordingServerConnection) {
        entries[connection.id]?.bridge.connectionCanAcceptMoreOutput()
    }

    func clientFinished(_ connection: RecordingServerConnection) {
        guard var entry = entries[connection.id] else { return }
        if entry.bridge.hasEnded {
            entries[connection.id] = nil
            if entries.isEmpty { onIdle?() }
            return
        }
        entry.connectionFinished = true
        entries[connection.id] = entry
        entry.bridge.connectionDidEnd(grace: grace)
    }

    /// Shutting down without waiting: every command gets SIGKILL and is reaped.
    func killAll() {
        for entry in entries.values {
            entry.bridge.forward(signal: SIGKILL)
            entry.bridge.waitForExit(upTo: 1)
        }
        entries.removeAll()
    }

    // MARK: - CommandBridgeDelegate

    func commandBridge(_ bridge: CommandBridge, didEnd termination: CommandProcess.Termination) {
        guard let (id, entry) = entries.first(where: { $0.value.bridge === bridge }) else { return }
        switch termination {
        case .exited(0): break
        case let .exited(code): reporter.status("client \(id): command exited with status \(code)")
        case let .signalled(signal): reporter.status("client \(id): command ended by signal \(signal)")
        }
        if entry.connectionFinished {
            entries[id] = nil
            if entries.isEmpty { onIdle?() }
        } else {
            // The entry goes when the connection has finished (`clientFinished`).
            entry.connection.close(code: CloseCode.normalClosure, reason: "", timeout: grace)
        }
    }

    func commandBridge(_ bridge: CommandBridge, cannotSendLine line: Int, error: SendError) {
        guard let (id, entry) = entries.first(where: { $0.value.bridge === bridge }) else { return }
        if case .invalidUTF8 = error {
            reporter.warning("client \(id): --exec output line \(line) is not valid UTF-8 (use -b to send lines as binary); closing")
            entry.connection.close(code: CloseCode.internalError, reason: "command output is not UTF-8", timeout: grace)
        } else {
            reporter.warning("client \(id): cannot send the command's output: \(error)")
        }
    }
}
