import WebSocketCore

/// The text formats of `--socketio`: how a line becomes an emit, and how events and ack
/// replies are shown. The input and the plain output format are the same, so `wsc --socketio`
/// output can be fed back to it.
///
/// Input (a stdin line, a `-x` message, a line typed in the REPL):
/// - `chat {"a":1}`: emit `chat`; after the name (up to the first space) comes a sequence of
///   JSON values separated by spaces, one per argument: `move 1 2` emits two arguments,
///   `list [1,2]` one array.
/// - `"two words" 1`: a name in JSON quotes may contain spaces; `"ping"` alone emits `ping`
///   with no arguments.
/// - Any other line (one word, or words that are not JSON: `hello world`) emits to the default
///   event `message` with the whole line as one string argument.
///
/// Output: `chat {"a":1}` (pipe and one-shot, on stdout), `chat: {"a":1}` in the interactive
/// session, which shows it as `< chat: {"a":1}` like its other incoming lines; the arguments as
/// compact JSON separated by spaces; an event without arguments prints as its quoted name
/// (`"ping"`), which reads back as the same event. Ack replies:
/// `ack 1: "ok"` in both (`< ack 1: "ok"` on the interactive screen).
enum SocketIOLineFormat {
    /// The event a line without a JSON part is sent to.
    static let defaultEvent = "message"

    enum Style {
        /// `name args`: one line per event on stdout, the same format as the input.
        case plain
        /// `name: args`: for the interactive session, which puts `< ` in front.
        case prompt
    }

    struct Emit: Equatable {
        var event: String
        var arguments: [JSONValue]
    }

    /// A line that starts with a quoted name but is not valid (bad JSON after it).
    struct InputError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ line: String) throws(InputError) -> Emit {
        if line.hasPrefix("\"") {
            let values: [JSONValue]
            do {
                values = try JSONParser.parseSequence(line)
            } catch {
                throw InputError(description: "a line starting with '\"' must be a JSON event name and JSON arguments: \(error)")
            }
            guard let name = values.first?.stringValue else {
                throw InputError(description: "a line starting with '\"' must start with the event name as a JSON string")
            }
            return Emit(event: name, arguments: Array(values.dropFirst()))
        }
        if let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) {
            let name = String(line[..<space])
            let rest = String(line[line.index(after: space)...])
            if !name.isEmpty, let arguments = try? JSONParser.parseSequence(rest), !arguments.isEmpty {
                return Emit(event: name, arguments: arguments)
            }
        }
        return Emit(event: defaultEvent, arguments: [.string(line)])
    }

    /// An event name as it is written: bare when it reads back as the same name, else quoted.
    static func name(_ event: String) -> String {
        let bare = !event.isEmpty && !event.hasPrefix("\"")
            && !event.contains(where: { $0 == " " || $0 == "\t" || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
        return bare ? event : JSONValue.quoted(event)
    }

    static func arguments(_ values: [JSONValue]) -> String {
        values.map(\.serialized).joined(separator: " ")
    }

    /// An incoming event.
    static func event(_ event: String, _ values: [JSONValue], style: Style) -> String {
        switch style {
        case .plain:
            // Without arguments the name is quoted: a bare word reads back as a `message` emit.
            return values.isEmpty ? JSONValue.quoted(event) : name(event) + " " + arguments(values)
        case .prompt:
            return name(event) + ":" + (values.isEmpty ? "" : " " + arguments(values))
        }
    }

    /// The answer to one of our emits (`--ack`).
    static func ack(id: Int, _ values: [JSONValue], style: Style) -> String {
        "ack \(id):" + (values.isEmpty ? "" : " " + arguments(values))
    }
}
