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

let setup: SessionSetup
do {
    setup = try SessionSetup(options: options, environment: environment)
} catch {
    exitWithSetupError(error)
}

let report = setup.makeSession().run()
if let message = report.message {
    if report.status == .success {
        setup.reporter.status(message)
    } else {
        setup.reporter.error(message)
    }
}
exit(report.status.rawValue)
