import SocketIO

/// A JSON object given on the command line (`--socketio-auth '{"token":"x"}'`), parsed once.
/// Parsed by a throwing initializer (the option's `transform:`), not `ExpressibleByArgument`,
/// so the error can say where the JSON is wrong.
struct JSONObjectArgument {
    var value: JSONValue

    /// What is wrong with the text (it follows "The value '...' is invalid for '--option <json>': ").
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing text: String) throws(Invalid) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw Invalid(description: "not valid JSON: \(error)")
        }
        guard value.isObject else { throw Invalid(description: "not a JSON object, e.g. '{\"token\":\"x\"}'") }
        self.value = value
    }
}
