import ArgumentParser

/// The prompt (a terminal on stdin and stdout, no -x).
struct InteractiveArguments: ParsableArguments {
    @Flag(name: .customLong("slash"), inversion: .prefixedNo,
          help: """
            Slash commands in the interactive session: /ping [data], /pong [data], /close [code [reason]], \
            /binary <hex or @file>, /help, /quit; a line starting with // sends the rest after one /. On by \
            default; --no-slash sends every line as typed.
            """)
    var givenSlash: Bool?

    /// --slash/--no-slash is stored as given (nil when left out), so that either spelling can be
    /// refused where there is no prompt; slash commands are on by default.
    var slash: Bool { givenSlash ?? true }

    @Flag(name: .customLong("no-history"),
          help: """
            Keep no history file for the interactive session (by default up to 1000 entries are kept, mode 0600, \
            in $XDG_STATE_HOME/wsc/history or ~/.local/state/wsc/history).
            """)
    var noHistory = false
}
