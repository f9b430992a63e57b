import Glibc

/// ANSI colours for one output stream, used only when that stream is a terminal and
/// neither `--no-color` nor `NO_COLOR` (https://no-color.org) asks otherwise.
struct TerminalStyle {
    let enabled: Bool

    init(fd: Int32, noColorFlag: Bool, environment: [String: String]) {
        let noColorEnv = !(environment["NO_COLOR"] ?? "").isEmpty
        enabled = isatty(fd) == 1 && !noColorFlag && !noColorEnv && environment["TERM"] != "dumb"
    }

    func status(_ text: String) -> String { paint(text, "2") }          // dim
    func error(_ text: String) -> String { paint(text, "1;31") }        // bold red
    func warning(_ text: String) -> String { paint(text, "33") }        // yellow
    func incoming(_ text: String) -> String { paint(text, "36") }       // cyan

    private func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
