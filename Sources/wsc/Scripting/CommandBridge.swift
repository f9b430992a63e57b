import Glibc
import WebSocketCore
import WebSocketTransport

/// What a `CommandBridge` needs from its connection: the client's `ManagedConnection` or one
/// listen-mode `ServerConnection`.
protocol CommandBridgeConnection: AnyObject {
    func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError)
    /// `sendText`, under a name both connections can adopt as they are (the client's
    /// `sendText` has a parameter more, with a default).
    func sendTextMessage(_ utf8: UnsafeRawBufferPointer) throws(SendError)
    var isAboveHighWaterMark: Bool { get }
    /// Stop and resume reading the peer's messages (`.command`: the command is not reading
    /// its stdin); the session's own reasons to pause are its own.
    func pauseReading(for reason: ReadingPauses)
    func resumeReading(for reason: ReadingPauses)
}

protocol CommandBridgeDelegate: AnyObject {
    /// The command has exited and what it wrote has been sent (or dropped, if the connection
    /// is gone); the bridge does nothing more.
    func commandBridge(_ bridge: CommandBridge, didEnd termination: CommandProcess.Termination)
    /// A line of the command's output cannot be sent (not UTF-8 without -b, or the connection
    /// refused it); `line` is its number. The bridge stops forwarding output.
    func commandBridge(_ bridge: CommandBridge, cannotSendLine line: Int, error: SendError)
}

/// `--exec`: joins a running command to a connection. Each line the command writes to its
/// stdout is sent as a message; each received message is written to its stdin as a line.
///
/// Both directions are watched by the poll loop and never block: the command's output is read
/// only while the connection's outgoing buffer is below its high-water mark, and while more
/// than `inputHighWaterMark` bytes wait for the command to read them, the connection stops
/// reading the peer. When the connection ends, the command's stdin is closed; a command that
/// has not exited `grace` seconds later is sent SIGTERM, and SIGKILL after as long again.
final class CommandBridge {
    static let inputHighWaterMark = 1 << 20
    /// After the command exits, how long its stdout may stay open (held by a background child)
    /// with nothing arriving before it is abandoned.
    static let outputDrainWait = 1.0

    let process: CommandProcess
    private let loop: EventLoop
    private unowned let connection: CommandBridgeConnection
    private unowned let delegate: CommandBridgeDelegate
    private let sendsBinary: Bool

    private var outputWatch: WatchID?
    private var inputWatch: WatchID?
    private var exitWatch: WatchID?
    private var exitPoll: TimerID?
    private var drainTimer: TimerID?
    private var stopTimer: TimerID?
    private var splitter = LineSplitter()
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var outputArrived = false
    private var pendingInput: [UInt8] = []
    private var readingPaused = false
    /// The connection is gone: output is read (so the command never blocks on it) and dropped.
    private var connectionEnded = false
    private var forwardsOutput = true
    private var ended = false

    init(process: CommandProcess, connection: CommandBridgeConnection, sendsBinary: Bool, loop: EventLoop,
         delegate: CommandBridgeDelegate) {
        self.process = process
        self.connection = connection
        self.sendsBinary = sendsBinary
        self.loop = loop
        self.delegate = delegate
    }

    /// Starts watching the command's output and its end.
    func start() {
        outputWatch = loop.watch(process.standardOutput, for: .readable) { [unowned self] _ in self.readOutput() }
        if process.exitDescriptor >= 0 {
            exitWatch = loop.watch(process.exitDescriptor, for: .readable) { [unowned self] _ in self.checkExit() }
        } else {
            pollExit()
        }
    }

    var hasEnded: Bool { ended }

    // MARK: - Messages to the command

    /// A received message, written to the command's stdin followed by a newline.
    func deliver(_ payload: [UInt8]) {
        guard process.standardInput >= 0, !ended else { return }
        pendingInput.append(contentsOf: payload)
        pendingInput.append(0x0A)
        writeInput()
    }

    private func writeInput() {
        while !pendingInput.isEmpty {
            switch pendingInput.withUnsafeBytes({ process.write($0) }) {
            case let .wrote(count):
                pendingInput.removeFirst(count)
            case .wouldBlock:
                if inputWatch == nil {
                    inputWatch = loop.watch(process.standardInput, for: .writable) { [unowned self] _ in self.writeInput() }
                }
                if pendingInput.count >= Self.inputHighWaterMark && !readingPaused {
                    readingPaused = true
                    connection.pauseReading(for: .command)
                }
                return
            case .closed:
                // The command stopped reading (closed its stdin or exited): what it would
                // have been sent is dropped, and so is anything later.
                pendingInput = []
                process.closeStandardInput()
            }
        }
        if let inputWatch { loop.unwatch(inputWatch) }
        inputWatch = nil
        if readingPaused {
            readingPaused = false
            if !connectionEnded { connection.resumeReading(for: .command) }
        }
        if connectionEnded { process.closeStandardInput() }
    }

    // MARK: - The command's output

    /// The connection's outgoing buffer drained: read the command's output again.
    func connectionCanAcceptMoreOutput() {
        if let outputWatch, !ended { loop.update(outputWatch, interest: .readable) }
    }

    private func readOutput() {
        let result = readBuffer.withUnsafeMutableBytes { process.read(into: $0) }
        switch result {
        case let .bytes(count):
            outputArrived = true
            _ = readBuffer.withUnsafeBytes { raw in
                splitter.feed(UnsafeRawBufferPointer(rebasing: raw[0..<count])) { line, number in
                    forward(line, number: number)
                }
            }
            if !connectionEnded, forwardsOutput, connection.isAboveHighWaterMark, let outputWatch {
                loop.update(outputWatch, interest: [])
            }
        case .wouldBlock:
            return
        case .endOfStream, .failed:
            _ = splitter.finish { line, number in forward(line, number: number) }
            endOutput()
        }
    }

    private func forward(_ line: UnsafeRawBufferPointer, number: Int) -> Bool {
        guard forwardsOutput, !connectionEnded else { return true }
        do throws(SendError) {
            if sendsBinary { try connection.sendBinary(line) } else { try connection.sendTextMessage(line) }
        } catch {
            forwardsOutput = false
            delegate.commandBridge(self, cannotSendLine: number, error: error)
        }
        return true
    }

    private func endOutput() {
        if let outputWatch { loop.unwatch(outputWatch) }
        outputWatch = nil
        loop.cancel(drainTimer)
        drainTimer = nil
        process.closeStandardOutput()
        finishIfDone()
    }

    // MARK: - The command's end

    private func pollExit() {
        exitPoll = loop.schedule(after: 0.05) { [unowned self] in
            self.exitPoll = nil
            self.checkExit()
            if self.process.termination == nil { self.pollExit() }
        }
    }

    private func checkExit() {
        guard process.reap() != nil else { return }
        if let exitWatch { loop.unwatch(exitWatch) }
        exitWatch = nil
        // The command can no longer read: a background child may still hold the pipe, but
        // nothing of ours is meant for it.
        pendingInput = []
        if let inputWatch { loop.unwatch(inputWatch) }
        inputWatch = nil
        process.closeStandardInput()
        if readingPaused {
            readingPaused = false
            if !connectionEnded { connection.resumeReading(for: .command) }
        }
        if outputWatch != nil { waitForOutputEnd() }
        finishIfDone()
    }

    /// The command exited but its stdout is still open: keep reading while output arrives
    /// (or waits for room in the connection's buffer); give up after a quiet second.
    private func waitForOutputEnd() {
        outputArrived = false
        drainTimer = loop.schedule(after: Self.outputDrainWait) { [unowned self] in
            self.drainTimer = nil
            let paused = self.outputWatch.map { self.loop.interest(of: $0).isEmpty } ?? false
            if self.outputArrived || paused {
                self.waitForOutputEnd()
            } else {
                self.endOutput()
            }
        }
    }

    private func finishIfDone() {
        guard !ended, let termination = process.termination, outputWatch == nil else { return }
        ended = true
        loop.cancel(stopTimer)
        loop.cancel(exitPoll)
        process.closeDescriptors()
        delegate.commandBridge(self, didEnd: termination)
    }

    // MARK: - The connection's end

    /// The connection is over: the command gets end of file on its stdin once the messages
    /// already received are written, then SIGTERM after `grace` seconds, SIGKILL after twice that.
    func connectionDidEnd(grace: Double) {
        guard !connectionEnded, !ended else { return }
        connectionEnded = true
        if pendingInput.isEmpty { process.closeStandardInput() }
        if let outputWatch { loop.update(outputWatch, interest: .readable) }
        stopTimer = loop.schedule(after: grace) { [unowned self] in
            self.process.closeStandardInput()
            self.process.signal(SIGTERM)
            self.stopTimer = self.loop.schedule(after: grace) { [unowned self] in
                self.process.signal(SIGKILL)
            }
        }
    }

    /// Shutting down: waits (blocking, at most `seconds`) until the command, already sent
    /// SIGKILL, is reaped, so it is not left a zombie; then lets go of its descriptors.
    func waitForExit(upTo seconds: Double) {
        let deadline = MonotonicClock.now() + seconds
        while process.reap() == nil && MonotonicClock.now() < deadline { usleep(10_000) }
        ended = true
        for watch in [outputWatch, inputWatch, exitWatch] { if let watch { loop.unwatch(watch) } }
        outputWatch = nil
        inputWatch = nil
        exitWatch = nil
        process.closeDescriptors()
    }

    /// Passes a signal (Ctrl-C) on to the command's process group.
    func forward(signal: Int32) {
        process.signal(signal)
    }

    /// A command that could not be started, for the error line.
    static func describe(_ error: CommandError) -> String {
        switch error {
        case let .spawnFailed(code): return "cannot run /bin/sh: \(String(cString: strerror(code)))"
        }
    }

    deinit {
        for timer in [exitPoll, drainTimer, stopTimer] { loop.cancel(timer) }
        for watch in [outputWatch, inputWatch, exitWatch] { if let watch { loop.unwatch(watch) } }
    }
}
