/// What the interactive session prints, collected and written above the prompt in batches:
/// each batch costs one erase and one redraw of the prompt, so a burst of messages does not
/// redraw it once per message. The loop flushes before it sleeps, so nothing waits; a large
/// batch is flushed at once.
final class PromptOutput {
    private let editor: LineEditor
    private var pending: [(stream: LineEditor.Stream, text: String)] = []
    private var pendingBytes = 0
    private let threshold = 32 * 1024

    init(editor: LineEditor) {
        self.editor = editor
    }

    /// Queues `text` (newline-terminated lines) for `stream`.
    func append(_ text: String, to stream: LineEditor.Stream) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        if let last = pending.indices.last, pending[last].stream == stream {
            pending[last].text += line
        } else {
            pending.append((stream, line))
        }
        pendingBytes += line.utf8.count
        if pendingBytes >= threshold { flush() }
    }

    /// Prints everything queued, in order, above the prompt.
    func flush() {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        for (stream, text) in batch { editor.printAbove(text, to: stream) }
    }
}
