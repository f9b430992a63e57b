import ArgumentParser

/// `--passphrase VALUE`, or `--passphrase` alone: ask on the terminal (as wscat does).
enum PassphraseArgument: Equatable, CustomStringConvertible, ExpressibleByArgument {
    case given(String)
    case prompt

    /// A value that is a ws/wss/http/https URL is not taken for the passphrase: it is the URL
    /// that follows a bare `--passphrase` (`wsc --cert c.pem --passphrase wss://host`).
    init?(argument text: String) {
        let lowered = text.lowercased()
        guard !["ws://", "wss://", "http://", "https://"].contains(where: { lowered.hasPrefix($0) }) else {
            return nil
        }
        self = .given(text)
    }

    var description: String {
        switch self {
        case .given: return "<given>"
        case .prompt: return "ask"
        }
    }
}
