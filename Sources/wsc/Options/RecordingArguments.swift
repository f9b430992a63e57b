import ArgumentParser

/// Transcripts: writing every message as a JSON line, and sending one again.
struct RecordingArguments: ParsableArguments {
    @Flag(name: .customLong("jsonl"),
          help: """
            Write every message to stdout as one JSON object per line instead of printing it: received and \
            sent, with -P also pings and pongs, and the close. Fields: time (RFC 3339, UTC, milliseconds), \
            direction (in/out), kind (text/binary/ping/pong/close), length, data (text as a string, binary as \
            base64), and code and reason for a close. Stdin is then read as in pipe mode, even on a \
            terminal (no prompt, no slash commands).
            """)
    var jsonl = false

    @Option(name: .customLong("transcript"),
            help: ArgumentHelp("""
                Append the same JSON lines as --jsonl to this file (created with mode 0600 if missing) while \
                the session runs as usual: pipe, one-shot or interactive.
                """, valueName: "file"),
            completion: .file())
    var transcript: String?

    @Option(name: .customLong("replay"),
            help: ArgumentHelp("""
                Send the outgoing text and binary messages (direction "out") of a transcript written by \
                --transcript or --jsonl, in order, instead of reading stdin; then close as in one-shot mode.
                """, valueName: "file"),
            completion: .file())
    var replay: String?

    @Option(name: .customLong("replay-speed"), parsing: .unconditional,
            help: ArgumentHelp("""
                With --replay: 0 sends as fast as possible, 1 keeps the transcript's timing, \
                2 replays twice as fast, 0.5 at half speed. (default: 0)
                """, valueName: "factor"))
    var givenReplaySpeed: Double?

    /// --replay-speed is stored as given (nil when left out), so that it can be refused
    /// without --replay; this applies the default its help states.
    var replaySpeed: Double { givenReplaySpeed ?? 0 }

    /// The recorder --jsonl (to `stdout`) and --transcript ask for; nil when neither is given.
    func recorder(stdout: OutputBuffer, includesControlFrames: Bool) throws(SetupError) -> MessageRecorder? {
        guard jsonl || transcript != nil else { return nil }
        let recorder = MessageRecorder(includesControlFrames: includesControlFrames)
        if jsonl { recorder.addOutput(stdout) }
        if let transcript { try recorder.addFile(transcript) }
        return recorder
    }

    func check() throws {
        if !(replaySpeed >= 0) {
            throw ValidationError("--replay-speed must be zero or more, not \(replaySpeed)")
        }
        if replay == nil && givenReplaySpeed != nil {
            throw ValidationError("--replay-speed needs --replay")
        }
    }
}
