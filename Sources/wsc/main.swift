#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import WebSocketCore
import WebSocketTransport

// The entry point: parse the command line, build the session, map its end to an exit code.
// swift-argument-parser's own exit codes are replaced by wsc's table (usage errors exit 2).

func exitWithSetupError(_ error: SetupError) -> Never {
    let style = TerminalStyle(fd: 2, noColorFlag: options.noColor, environment: environment)
    StatusReporter(style: style, quiet: false).error(error.description)
    exit(error.status.rawValue)
}

let environment = ProcessEnvironment.current()
let options: CommandLineOptions
do {
    options = try CommandLineOptions.parse()
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
    if let message = report.message {
        if report.status == .success {
            reporter.status(message)
        } else {
            reporter.error(message)
        }
    }
    if let summary { reporter.summary(summary) }
    exit(report.status.rawValue)
}

if let port = options.listen {
    let style = TerminalStyle(fd: 2, noColorFlag: options.noColor, environment: environment)
    let reporter = StatusReporter(style: style, quiet: options.quiet)
    let session = ListenSession(settings: ListenSettings(options: options, port: port), reporter: reporter,
                                stdout: OutputBuffer(fd: 1))
    exitWithReport(session.run(), reporter: reporter)
}

// Client mode; with --demo, against an echo server started here on the same loop.
let loop = EventLoop()
var clientOptions = options
var clientEnvironment = environment
var demoServer: DemoServer?
if options.demo {
    var configuration = WebSocketConfiguration()
    configuration.limitMessages(to: options.messageSizeLimit)
    let server = DemoServer(loop: loop, configuration: configuration)
    do {
        clientOptions.url = try server.start()
    } catch {
        exitWithSetupError(SetupError(status: .connectionFailed, description: "--demo: \(error)"))
    }
    demoServer = server
    // The demo server is on loopback in this process: a proxy from the environment must not apply.
    clientEnvironment = environment.filter { !["http_proxy", "https_proxy"].contains($0.key.lowercased()) }
}

let setup: SessionSetup
do {
    setup = try SessionSetup(options: clientOptions, environment: clientEnvironment)
} catch {
    exitWithSetupError(error)
}
if options.demo, let url = clientOptions.url {
    let typing = options.execute.isEmpty && options.scripting.files.isEmpty && isatty(0) == 1
    setup.reporter.status("demo: echo server on \(url) (in-process); "
        + (typing ? "type a line, it comes back" : "every message comes back"))
}

let session = setup.makeSession(loop: loop)
let report = session.run()
withExtendedLifetime(demoServer) {}
if let format = options.scripting.stats {
    let summary = StatisticsSummary(statistics: session.statistics, outcome: session.lastOutcome,
                                    exitStatus: report.status)
    exitWithReport(report, reporter: setup.reporter, then: format == .json ? summary.json : summary.text)
}
exitWithReport(report, reporter: setup.reporter)
