/// Makes text from the peer safe to print on a terminal: control characters could move the
/// cursor, change colours or the window title, or switch character sets, breaking the screen
/// and the prompt. Pure.
enum TerminalSafeText {
    /// Replaces every C0 control character except tab (and the newlines the caller splits on),
    /// DEL, and every C1 control character with a visible stand-in: C0 and DEL as their
    /// Unicode control pictures (ESC becomes `␛`, CR `␍`), C1 as `<U+009B>`.
    static func sanitize(_ text: Substring) -> String {
        guard text.unicodeScalars.contains(where: needsReplacement) else { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09:
                result.unicodeScalars.append(scalar)
            case 0x00..<0x20:
                result.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F:
                result.unicodeScalars.append("\u{2421}")
            case 0x80..<0xA0:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "<U+00" + hex + ">"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsReplacement(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09) || (value >= 0x7F && value < 0xA0)
    }
}
