/// Why a permessage-deflate negotiation failed (RFC 7692 7.1): the server's answer to our offer,
/// or a client's offer, breaks the extension's rules.
///
/// A client that receives such an answer must fail the connection (7.1); a server declines the
/// offer instead (and may accept a later one).
public enum PerMessageDeflateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter RFC 7692 does not define.
    case unknownParameter(String)
    /// The same parameter twice in one element.
    case duplicateParameter(String)
    /// `server_no_context_takeover` or `client_no_context_takeover` with a value; they take none.
    case unexpectedValue(parameter: String, value: String)
    /// A window-bits parameter without the value it needs here (`server_max_window_bits` always,
    /// `client_max_window_bits` in an answer).
    case missingValue(parameter: String)
    /// A window-bits value that is not a decimal integer from 8 to 15 without leading zeros.
    case invalidWindowBits(parameter: String, value: String)
    /// The server accepted permessage-deflate more than once, where we offered it once.
    case multipleAcceptances(Int)
    /// The server limited our window (`client_max_window_bits`) although we did not offer that
    /// parameter, so we may not know how to honour it (7.1.2.2).
    case unofferedClientMaxWindowBits
    /// The server answered a window size above the limit we offered for that direction.
    case windowBitsAboveOffer(parameter: String, offered: Int, answered: Int)
    /// We asked the server to limit its window (`server_max_window_bits`) and the answer does not
    /// say it will (7.1.2.1).
    case missingServerMaxWindowBits(offered: Int)
    /// We asked for `server_no_context_takeover` and the answer does not confirm it (7.1.1.1).
    case missingServerNoContextTakeover

    public var description: String {
        switch self {
        case let .unknownParameter(name):
            return "unknown parameter '\(Self.printable(name))'"
        case let .duplicateParameter(name):
            return "parameter '\(name)' appears more than once"
        case let .unexpectedValue(parameter, value):
            return "parameter '\(parameter)' takes no value, got '\(Self.printable(value))'"
        case let .missingValue(parameter):
            return "parameter '\(parameter)' needs a value from 8 to 15"
        case let .invalidWindowBits(parameter, value):
            return "parameter '\(parameter)' has value '\(Self.printable(value))', expected a number from 8 to 15"
        case let .multipleAcceptances(count):
            return "the extension was accepted \(count) times, but it was offered once"
        case .unofferedClientMaxWindowBits:
            return "parameter 'client_max_window_bits' was not offered"
        case let .windowBitsAboveOffer(parameter, offered, answered):
            return "'\(parameter)=\(answered)' exceeds the \(offered) offered"
        case let .missingServerMaxWindowBits(offered):
            return "'server_max_window_bits=\(offered)' was requested but not confirmed"
        case .missingServerNoContextTakeover:
            return "'server_no_context_takeover' was requested but not confirmed"
        }
    }

    /// Control characters shown as `?` so that a hostile header cannot break a terminal line.
    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F ? "?" : $0
        }))
    }
}
