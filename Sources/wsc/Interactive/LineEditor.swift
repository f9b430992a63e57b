@preconcurrency import CEditLine
import Glibc

/// The prompt of the interactive session: libedit's readline-compatible callback interface,
/// driven by the session's `poll(2)` loop.
///
/// The loop watches ``fileDescriptor`` and calls ``handleReadable()`` when it is readable; it
/// prints incoming messages and status lines with ``printAbove(_:to:)``, and turns SIGINT and
/// SIGWINCH (which it receives through its self-pipe) into ``interrupt()`` and
/// ``terminalResized()``. The editor installs no signal handlers and keeps libedit from
/// installing any. Everything happens on the loop's thread.
///
/// The editor, not libedit, decides when a line is complete: libedit ends a line whenever its
/// text ends with a line break after a key, which a line composed of several lines (Alt-Enter,
/// a multi-line paste) may well do. So the line handler is installed only for the Enter key;
/// Enter, Ctrl-D on an empty line, Alt-Enter and bracketed pastes are recognised in the input
/// before libedit sees them, and libedit edits everything else.
///
/// libedit's readline emulation is a single editor per process, so only one `LineEditor` can be
/// active at a time; ``shutdown()`` (also run by `deinit`) restores the terminal and frees the
/// slot. See docs/line-editor.md for the libedit behaviour this relies on.
final class LineEditor {
    /// Where ``printAbove(_:to:)`` writes.
    enum Stream: Sendable {
        /// Messages.
        case standardOutput
        /// Status lines: connected, closed, reconnecting…
        case standardError
    }

    private enum State {
        /// The callback handler is installed and the prompt is on screen.
        case editing
        /// The user ended input; libedit left editing mode and the prompt has been erased.
        /// The next ``handleReadable()`` brings the prompt back.
        case ended
        case shutDown
    }

    /// The prompt as given (may hold colour escape sequences).
    private(set) var prompt: String
    /// The prompt as libedit gets it, escape sequences marked as taking no room.
    private var encodedPrompt: String
    private var state: State
    /// Events completed during the current ``handleReadable()``.
    private var completedEvents: [LineEditorEvent] = []
    /// Where libedit's characters come from.
    private var input = TerminalInput(descriptor: STDIN_FILENO)
    /// ``suspend()`` has run and ``resume()`` not yet.
    private var suspended = false
    /// The text being edited and the cursor in it (a UTF-8 offset): libedit's line as readline's
    /// variables showed it after the last key libedit handled, with what the editor inserted
    /// itself since.
    private var line = ""
    private var point = 0
    /// The bytes of a bracketed paste whose end has not arrived yet.
    private var pasted: [UInt8]?
    /// Bracketed paste mode is on at the terminal (`ESC [ ? 2004 h` sent, `l` not yet).
    private var bracketedPasteOn = false
    /// Whether the terminal supports bracketed paste mode at all (not `TERM=dumb`).
    private let offersBracketedPaste: Bool
    /// Whether the terminal re-wraps the rows it shows when its width changes: see
    /// ``rewrapsOnResize(environment:)``.
    private let rewrapsOnResize: Bool

    private var history: HistoryFile?
    private var lastHistoryEntry: String?
    /// Set when the history file could not be read or written; persistence is then off for the
    /// rest of the session. The session may show it once as a warning.
    private(set) var historyProblem: HistoryFileError?

    /// Standard input, the terminal libedit reads from.
    var fileDescriptor: Int32 { STDIN_FILENO }

    /// Sets libedit up on the terminal, loads the history and shows the prompt.
    /// - Parameters:
    ///   - prompt: the prompt; escape sequences in it (colours) are handled.
    ///   - history: where to keep the history, or `nil` for an in-memory history only. A
    ///     history file that cannot be used is not fatal: see ``historyProblem``.
    init(prompt: String, history: HistoryFile?) throws(LineEditorError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        guard Self.active == nil else { throw .alreadyActive }

        self.prompt = prompt
        self.encodedPrompt = LineLayout.encodePrompt(prompt)
        self.history = history
        self.state = .shutDown
        let environment = ["TERM", "XTERM_VERSION", "TMUX"].reduce(into: [String: String]()) { values, name in
            if let value = getenv(name) { values[name] = String(cString: value) }
        }
        self.offersBracketedPaste = environment["TERM"] != "dumb"
        self.rewrapsOnResize = Self.rewrapsOnResize(environment: environment)

        if let problem = wsc_editline_load() { throw .libraryUnavailable(String(cString: problem)) }
        Self.useCharacterLocale()
        // libedit reads these when it initialises: no signal handlers (the loop owns signals),
        // input and output on the terminal, and `wsc` as the program name for ~/.editrc.
        wsc_rl_catch_signals().pointee = 0
        wsc_rl_catch_sigwinch().pointee = 0
        wsc_rl_instream().pointee = nil
        wsc_rl_outstream().pointee = nil
        wsc_rl_readline_name().pointee = UnsafeRawPointer(("wsc" as StaticString).utf8Start)
            .assumingMemoryBound(to: CChar.self)
        wsc_rl_getc_function().pointee = readCharacter
        // rl_initialize starts a fresh editor and a fresh history every time it is called.
        guard wsc_rl_initialize() == 0 else { throw .initializationFailed }
        // Tab inserts a tab instead of completing file names.
        wsc_rl_inhibit_completion().pointee = 1
        // libedit binds Ctrl-R to em-inc-search-prev, which reads the search keys itself with
        // blocking reads and would stall the poll loop; ed-search-prev-history recalls the
        // previous entry containing the text typed so far and returns at once.
        _ = wsc_rl_parse_and_bind("bind ^R ed-search-prev-history")
        Self.reserveLineBuffers()

        loadHistory()
        Self.active = self
        installHandler()
    }

    deinit {
        shutdown()
    }

    // MARK: - Input

    /// Feeds the characters available on standard input to libedit, without blocking, and
    /// returns the lines completed meanwhile (a paste of typed-ahead lines may complete several).
    /// Stops after an ``LineEditorEvent/endOfInput``.
    ///
    /// `rl_callback_read_char` handles one key per call (several bytes for an escape sequence
    /// or a UTF-8 character). It gets them from ``TerminalInput``, so more input is waiting when
    /// that reader has some buffered or `poll` with a zero timeout finds the terminal readable.
    /// Before each key the editor looks whether it is one it handles itself.
    func handleReadable() -> [LineEditorEvent] {
        switch state {
        case .shutDown: return []
        case .ended: resetLine()
        case .editing: if suspended { resume() }
        }
        followTerminalSize()
        completedEvents = []
        while state == .editing {
            if !input.hasBufferedInput {
                var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, 0) == 1 else { break }
                if descriptor.revents & Int16(POLLIN) == 0 || Self.inputGone(descriptor.revents) {
                    // Hang-up or error with nothing left to read: the terminal is gone.
                    endInput()
                    break
                }
            }
            if var bytes = pasted {
                let complete = input.readPaste(into: &bytes)
                pasted = complete ? nil : bytes
                if complete { insert(PastedText.text(bytes)) }
                continue
            }
            if handleEditorKey() { continue }
            passKeyToLibedit()
        }
        let events = completedEvents
        completedEvents = []
        return events
    }

    /// Handles the next key when it is one the editor takes care of itself; `false` leaves it to
    /// libedit.
    private func handleEditorKey() -> Bool {
        guard let (key, length) = input.peekEditorKey() else { return false }
        switch key {
        case .enter:
            acceptLine()
        case .endOfFile:
            // Ctrl-D on an empty line ends the input; on text libedit deletes a character.
            guard line.isEmpty else { return false }
            input.skip(length)
            endInput()
        case .lineBreak:
            input.skip(length)
            insert("\n")
        case .pasteStart:
            input.skip(length)
            pasted = []
        }
        return true
    }

    /// A hang-up or error, unless bytes are still waiting to be read.
    private static func inputGone(_ revents: Int16) -> Bool {
        guard revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 else { return false }
        var available: Int32 = 0
        return ioctl(STDIN_FILENO, UInt(FIONREAD), &available) != 0 || available == 0
    }

    /// Called (through ``readCharacter``) when libedit wants a character.
    fileprivate func nextCharacter() -> Int32 {
        input.nextCharacter()
    }

    /// Enter: libedit gets the key with the line handler installed for it, so that it ends the
    /// line as usual: it appends a line break, moves the cursor below the text, and hands the
    /// whole text to ``lineCompleted(_:)`` (from its own encoding of the line, exact at any
    /// length). Should the key not end the line (a `~/.editrc` binding), the handler goes again.
    private func acceptLine() {
        wsc_rl_callback_handler_install(encodedPrompt, lineHandler)
        passKeyToLibedit()
        if state == .editing { wsc_rl_callback_handler_install(encodedPrompt, nil) }
    }

    /// Called (through ``lineHandler``) from inside `rl_callback_read_char` when Enter ended a line.
    fileprivate func lineCompleted(_ text: String?) {
        guard let text else {
            endInput()
            return
        }
        // The editor's copy of the line (what it lays out and erases by) must be what libedit
        // holds; debug builds, which the tests run, check it at every Enter.
        assert(text == line, "the editor's copy of the line went stale: \(line.utf8.count) bytes, libedit's \(text.utf8.count)")
        completedEvents.append(.line(text))
        remember(text)
        // libedit has moved to a new row and left editing mode; editing mode again, with an
        // empty line, prints the prompt there.
        resetLine()
    }

    /// Ctrl-D on an empty line, or the terminal went away: the prompt is erased and libedit
    /// leaves editing mode (the terminal gets its settings back).
    private func endInput() {
        completedEvents.append(.endOfInput)
        eraseEditArea()
        wsc_rl_callback_handler_remove()
        setBracketedPaste(false)
        pasted = nil
        state = .ended
    }

    /// Puts `text` into the line at the cursor, the cursor after it, and draws the line again.
    /// Refused (``LineEditorEvent/pasteTooLong(bytes:)``) when the line would grow past
    /// ``maximumLineBytes``.
    private func insert(_ text: String) {
        guard !text.isEmpty, isDrawn else { return }
        let length = line.utf8.count + text.utf8.count
        guard length <= Self.maximumLineBytes else {
            completedEvents.append(.pasteTooLong(bytes: length))
            return
        }
        eraseEditArea()
        _ = wsc_rl_insert_text(text)
        var bytes = Array(line.utf8)
        bytes.insert(contentsOf: text.utf8, at: min(point, bytes.count))
        line = String(decoding: bytes, as: UTF8.self)
        point += text.utf8.count
        redraw()
    }

    /// Lets libedit handle the next key, and takes the line and the cursor from readline's
    /// variables afterwards. libedit refreshes them after a key only when the line is not empty
    /// afterwards; a sentinel tells the two cases apart.
    private func passKeyToLibedit() {
        wsc_rl_end().pointee = -1
        wsc_rl_point().pointee = -1
        wsc_rl_callback_read_char()
        guard state == .editing else { return }
        readLine()
    }

    /// Takes libedit's line and cursor from readline's variables after libedit handled a key.
    private func readLine() {
        let end = Int(wsc_rl_end().pointee)
        guard end > 0, let buffer = wsc_rl_line_buffer().pointee else {
            wsc_rl_end().pointee = 0
            wsc_rl_point().pointee = 0
            line = ""
            point = 0
            return
        }
        line = buffer.withMemoryRebound(to: UInt8.self, capacity: end) {
            String(decoding: UnsafeBufferPointer(start: $0, count: end), as: UTF8.self)
        }
        point = min(max(0, Int(wsc_rl_point().pointee)), end)
    }

    // MARK: - Output

    /// Prints `text` (one or more lines; a final newline is added when missing) above the
    /// prompt without disturbing the line being typed: the prompt and the text being edited
    /// are erased, `text` is written, then libedit draws prompt and text again with the cursor
    /// where it was. libedit keeps the line and the cursor position itself, so nothing needs
    /// saving.
    func printAbove(_ text: String, to stream: Stream = .standardOutput) {
        let output = text.hasSuffix("\n") ? text : text + "\n"
        let descriptor = stream == .standardOutput ? STDOUT_FILENO : STDERR_FILENO
        followTerminalSize()
        guard isDrawn else {
            Self.write(output, to: descriptor)
            return
        }
        eraseEditArea()
        Self.write(output, to: descriptor)
        redraw()
    }

    /// Ctrl-C: clears the line being typed and shows an empty prompt. Returns `true` when the
    /// line was already empty, for the caller to end the session on a second Ctrl-C.
    func interrupt() -> Bool {
        guard state == .editing else { return true }
        input.discardBuffered()
        let unfinishedPaste = pasted != nil
        pasted = nil
        if line.isEmpty && !unfinishedPaste { return true }
        followTerminalSize()
        eraseEditArea()
        resetLine()
        return false
    }

    /// SIGWINCH: libedit learns the new size and the prompt and text are drawn again.
    func terminalResized() {
        followTerminalSize()
    }

    /// Whether a terminal re-wraps the rows it shows when its width changes. Most do (VTE,
    /// Konsole, kitty, Alacritty, WezTerm, iTerm2, Terminal.app, Windows Terminal, tmux); xterm
    /// keeps its rows as they were, and says so with `XTERM_VERSION` (unless tmux runs inside it).
    static func rewrapsOnResize(environment: [String: String]) -> Bool {
        environment["XTERM_VERSION"] == nil || environment["TMUX"] != nil
    }

    /// Tells libedit the terminal's size when it changed, and draws prompt and line again for
    /// the new width. Called on SIGWINCH and before anything is drawn: the loop may print a
    /// message (or handle a key) after the terminal changed size but before it has read the
    /// SIGWINCH, and libedit drawing with the old width then leaves rows of the old prompt behind.
    private func followTerminalSize() {
        guard state != .shutDown else { return }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return }
        var rows: Int32 = 0
        var columns: Int32 = 0
        wsc_rl_get_screen_size(&rows, &columns)
        guard Int32(size.ws_col) != columns || Int32(size.ws_row) != rows else { return }
        guard isDrawn else {
            wsc_rl_resize_terminal()
            return
        }
        // Where the prompt starts now: a terminal that re-wraps has laid the rows out again for
        // the new width (a row of the old width takes two when the window halves, and erasing
        // only one would leave a copy of the prompt above); one that does not kept them as
        // they were.
        let rowsBefore = cursorRow()
        wsc_rl_resize_terminal()
        eraseEditArea(rowsAboveCursor: rewrapsOnResize ? cursorRow() : rowsBefore)
        redraw()
    }

    /// Replaces the prompt, keeping the line being typed.
    func changePrompt(_ prompt: String) {
        guard prompt != self.prompt else { return }
        self.prompt = prompt
        followTerminalSize()
        guard isDrawn else {
            encodedPrompt = LineLayout.encodePrompt(prompt)
            if state != .shutDown { _ = wsc_rl_set_prompt(encodedPrompt) }
            return
        }
        eraseEditArea()
        encodedPrompt = LineLayout.encodePrompt(prompt)
        _ = wsc_rl_set_prompt(encodedPrompt)
        redraw()
    }

    /// Before the process stops (SIGTSTP through the loop, which then stops itself): erases the
    /// prompt and puts the terminal settings back as they were for the shell. The line being
    /// typed is kept for ``resume()``.
    func suspend() {
        guard isDrawn else { return }
        eraseEditArea()
        setBracketedPaste(false)
        wsc_rl_deprep_terminal()
        suspended = true
    }

    /// After the process continues (SIGCONT through the loop): editing mode again, and the prompt
    /// and the line drawn afresh on the cursor's row. Also repairs the terminal when the process
    /// was stopped without ``suspend()`` (the shell then left it in its own settings).
    func resume() {
        guard state == .editing else { return }
        // libedit skips switching to editing mode when it believes it is in it already.
        wsc_rl_deprep_terminal()
        wsc_rl_prep_terminal(1)
        suspended = false
        setBracketedPaste(true)
        Self.write("\r\u{1B}[J", to: STDOUT_FILENO)
        followTerminalSize()
        redraw()
    }

    /// Erases the prompt, leaves libedit's editing mode (restoring the terminal settings found
    /// when editing started) and frees the editor slot. Safe to call more than once.
    func shutdown() {
        switch state {
        case .shutDown:
            return
        case .editing:
            if !suspended { eraseEditArea() }
            wsc_rl_callback_handler_remove()
            setBracketedPaste(false)
        case .ended:
            break
        }
        state = .shutDown
        if Self.active === self { Self.active = nil }
    }

    // MARK: - libedit

    /// The prompt and the line are on screen, drawn by libedit.
    private var isDrawn: Bool { state == .editing && !suspended }

    /// (Re)starts editing with an empty line. libedit only starts editing mode (raw terminal,
    /// fresh line, prompt printed) when it is not in it yet, hence the removal. No line handler
    /// is given: without one libedit never ends a line by itself (``acceptLine()``).
    private func installHandler() {
        wsc_rl_callback_handler_remove()
        wsc_rl_callback_handler_install(encodedPrompt, nil)
        state = .editing
        setBracketedPaste(true)
    }

    /// Starts a fresh, empty line under a new prompt.
    private func resetLine() {
        installHandler()
        // readline's copies of the line state are only refreshed after a key is handled.
        wsc_rl_point().pointee = 0
        wsc_rl_end().pointee = 0
        line = ""
        point = 0
        pasted = nil
    }

    /// Bracketed paste mode: while it is on, the terminal marks pasted text with `ESC [ 200 ~`
    /// and `ESC [ 201 ~`, so a paste of several lines becomes one message instead of one per
    /// line. On while the prompt is active, off whenever the terminal is handed back.
    private func setBracketedPaste(_ on: Bool) {
        guard offersBracketedPaste, on != bracketedPasteOn else { return }
        bracketedPasteOn = on
        Self.write(on ? "\u{1B}[?2004h" : "\u{1B}[?2004l", to: STDOUT_FILENO)
    }

    /// Draws prompt and line again from the cursor's row, which must be the first row of the
    /// prompt, at column 0 and empty below. `rl_forced_update_display` (libedit's EL_REFRESH)
    /// forgets what was on screen and redraws everything, leaving the cursor where it belongs.
    /// (`rl_redisplay` would also push a Ctrl-R into libedit's input.)
    private func redraw() {
        wsc_rl_forced_update_display()
    }

    /// Moves the cursor to column 0 of the prompt's first row and erases from there to the end
    /// of the screen.
    private func eraseEditArea(rowsAboveCursor: Int? = nil) {
        let rows = rowsAboveCursor ?? cursorRow()
        Self.write("\r" + (rows > 0 ? "\u{1B}[\(rows)A" : "") + "\u{1B}[J", to: STDOUT_FILENO)
    }

    /// The row of the cursor below the prompt's first row, as libedit drew it for the screen
    /// size it knows.
    private func cursorRow() -> Int {
        var rows: Int32 = 0
        var columns: Int32 = 0
        wsc_rl_get_screen_size(&rows, &columns)
        return LineLayout.cursorRow(
            prompt: encodedPrompt, line: line, cursor: point, columns: Int(columns), rows: Int(rows))
    }

    /// The longest line (UTF-8 bytes) the editor puts into libedit's line: see
    /// ``reserveLineBuffers()``.
    static let maximumLineBytes = 64 * 1024 - 16

    /// libedit's readline emulation (3.1-20221030) points `rl_line_buffer` at the buffer it
    /// encodes the line into (UTF-8) only when its line buffer of wide characters grows, and
    /// then encodes the line as it was before the growth; the encoding buffer itself moves
    /// (`realloc`) whenever the encoded line outgrows it, 1 KiB at a time. In between,
    /// `rl_line_buffer` points at freed memory, which libedit writes a NUL into after every key
    /// and the editor would read the line from (a 3-4 KiB typed line got there; a paste easily
    /// does, and sent garbage). So both buffers are grown once, in the order that leaves
    /// `rl_line_buffer` on a large encoding buffer:
    /// 1. a line of four-byte characters as long as ``maximumLineBytes`` encoded (the line
    ///    buffer grows while the line is still empty);
    /// 2. `rl_copy_text` encodes it: the encoding buffer grows to hold it;
    /// 3. `rl_replace_line` with as many ASCII characters as the line buffer holds (twice the
    ///    characters of step 1; libedit made room for them and a bit, in powers of two): the
    ///    line buffer doubles, and `rl_line_buffer` is set to the encoding buffer, which the line
    ///    being replaced (step 1) already fits, as does the new one.
    /// Lines up to ``maximumLineBytes`` never move it after that. The line is emptied when
    /// editing starts. Costs about 1.3 MiB resident (libedit sizes its kill, undo, redo and
    /// history buffers with the line buffer: 64 Ki wide characters each). Later libedit
    /// versions refresh `rl_line_buffer` themselves; this does no harm there.
    private static func reserveLineBuffers() {
        let characters = (maximumLineBytes + 16) / 4
        _ = wsc_rl_insert_text(String(repeating: "\u{1F600}", count: characters))
        free(wsc_rl_copy_text(0, 0))
        wsc_rl_replace_line(String(repeating: "x", count: 2 * characters), 0)
    }

    // MARK: - History

    private func loadHistory() {
        guard let history else { return }
        wsc_stifle_history(Int32(clamping: history.limit))
        do {
            // An entry longer than a line may be (written by hand, or by an older wsc) stays
            // in the file but is not offered.
            let entries = try history.load().filter { $0.utf8.count <= Self.maximumLineBytes }
            for entry in entries { _ = wsc_add_history(entry) }
            lastHistoryEntry = entries.last
        } catch {
            historyProblem = error
            self.history = nil
        }
    }

    /// Adds a line to the history, in memory and in the file: not empty lines, not the same
    /// line twice in a row.
    private func remember(_ line: String) {
        guard !line.isEmpty, line != lastHistoryEntry else { return }
        lastHistoryEntry = line
        _ = wsc_add_history(line)
        guard let history else { return }
        do {
            try history.append(line)
        } catch {
            historyProblem = error
            self.history = nil
        }
    }

    // MARK: - Process-wide settings and output

    /// libedit decodes input and measures text with the C library's multibyte functions, which
    /// only know UTF-8 once a locale says so. Takes the user's character locale, and C.UTF-8
    /// when that is plain ASCII (the C and POSIX locales, LANG unset).
    private static func useCharacterLocale() {
        _ = setlocale(LC_CTYPE, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) == "ANSI_X3.4-1968" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// Writes everything, after what libedit may still hold in its stdio buffer.
    private static func write(_ text: String, to descriptor: Int32) {
        fflush(nil)
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes = bytes.dropFirst(count)
            } else if count < 0, errno == EAGAIN {
                var pending = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pending, 1, -1)
            } else if count == 0 || errno != EINTR {
                return
            }
        }
    }
}

extension LineEditor {
    /// The editor whose callback handler is installed.
    ///
    /// libedit calls the `getc` function and the line handler without a context pointer, and its
    /// readline emulation is one editor per process anyway, so ``readCharacter`` and
    /// ``lineHandler`` find the editor here. This is the only global state of the line editor:
    /// set by `init`, cleared by `shutdown`, read on the loop's thread.
    nonisolated(unsafe) fileprivate static weak var active: LineEditor?
}

/// readline's `rl_getc_function`: the next character of input for libedit, -1 for none.
private func readCharacter(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
    LineEditor.active?.nextCharacter() ?? -1
}


/// The `rl_vcpfunc_t` installed for the Enter key. libedit passes a line it allocated (to be
/// freed here), or `NULL` at end of input.
private func lineHandler(_ line: UnsafeMutablePointer<CChar>?) {
    defer { free(line) }
    LineEditor.active?.lineCompleted(line.map { String(cString: $0) })
}
