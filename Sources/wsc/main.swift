import Glibc
import ArgumentParser
import WebSocketCore
import WebSocketTransport

// The entry point: parse the command line, build the session, map its end to an exit code.
// swift-argument-parser's own exit codes are replaced by wsc's table (usage errors exit 2).

func exitWithSetupError(_ error: SetupError) -> Never {
    let style = TerminalStyle(fd: 2, noColorFlag: options.output.noColor, environment: environment)
    StatusReporter(style: style, quiet: false).error(error.description)
    exit(error.status.rawValue)
}

let environment = ProcessEnvironment.current()
let options: CommandLineOptions
do {
    options = try CommandLineOptions.parse()
    if options.showVersion {
        print(wscVersion)
        exit(0)
    }
    try options.check()
} catch {
    let code = CommandLineOptions.exitCode(for: error)
    if code == .success {
        CommandLineOptions.exit(withError: error)   // --help, --version
    }
    let message = CommandLineOptions.message(for: error)
    let style = TerminalStyle(fd: 2, noColorFlag: false, environment: environment)
    StatusReporter(style: style, quiet: false).error(message + " (see wsc --help)")
    exit(ExitStatus.usage.rawValue)
}

/// Prints the line that says how the session ended, and exits with its status.
/// `then`: the --stats summary, printed last.
func exitWithReport(_ report: OutcomeReport, reporter: StatusReporter, then summary: String? = nil) -> Never {
    reporter.detach()
    if let message = report.message {
        if report.status == .success {
            reporter.status(message)
        } else {
            reporter.error(message)
        }
    }
    if let summary { reporter.summary(summary) }
    exit(report.exitCode)
}

let launch: Launch
do {
    launch = try Launch(options: options, environment: environment)
} catch {
    exitWithSetupError(error)
}
let setup: SessionSetup
let loop: EventLoop
let demoServer: DemoServer?
switch launch {
case let .listen(session, reporter):
    exitWithReport(session.run(), reporter: reporter)
case let .client(clientSetup, clientLoop, demo):
    (setup, loop, demoServer) = (clientSetup, clientLoop, demo)
}

let session = setup.makeSession(loop: loop)
let report = session.run()
withExtendedLifetime(demoServer) {}
if let format = options.scripting.stats {
    let summary = StatisticsSummary(statistics: session.statistics, outcome: session.lastOutcome,
                                    exitCode: report.exitCode)
    exitWithReport(report, reporter: setup.reporter, then: format == .json ? summary.json : summary.text)
}
exitWithReport(report, reporter: setup.reporter)
