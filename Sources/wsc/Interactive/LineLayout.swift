import Glibc

/// How libedit lays the prompt and the typed text out on the terminal, reduced to what the line
/// editor needs: on which row (counted from the prompt's first row) libedit has put the cursor.
///
/// libedit keeps that row to itself, but the editor must move the cursor back to the prompt's
/// first row before printing above it. This replays the rules of libedit's `re_refresh`
/// (refresh.c): characters are placed left to right with their `wcwidth`; a character that does
/// not fit in the rest of a row is moved to the next one; the cursor wraps as soon as a row is
/// full; in the text (not in the prompt) a tab advances to the next multiple of 8, a newline
/// starts a row, an ASCII control character is shown as `^X` and a character that cannot be
/// printed as `\U+XXXX`. Prompt characters between `RL_PROMPT_START_IGNORE` (`\u{1}`) markers
/// take no room.
///
/// Widths come from the C library, so the character locale must be set (``LineEditor`` does).
enum LineLayout {
    static let promptIgnoreStart: Unicode.Scalar = "\u{1}"
    static let promptIgnoreEnd: Unicode.Scalar = "\u{2}"

    /// The row of the cursor, 0 being the row where the prompt starts.
    /// - Parameters:
    ///   - prompt: the prompt as given to libedit (with ignore markers).
    ///   - line: the text being edited.
    ///   - cursor: the cursor as a UTF-8 offset into `line` (readline's `rl_point`).
    ///   - columns: the terminal width libedit uses.
    ///   - rows: the terminal height; libedit scrolls a longer text, so the row is at most `rows - 1`.
    static func cursorRow(prompt: String, line: String, cursor: Int, columns: Int, rows: Int = .max) -> Int {
        var position = Position(columns: max(1, columns))
        var ignoring = false
        for scalar in prompt.unicodeScalars {
            if scalar == promptIgnoreStart || scalar == promptIgnoreEnd {
                ignoring.toggle()
            } else if !ignoring {
                position.put(width: width(of: scalar))
            }
        }

        var offset = 0
        var cursorCharacter: Unicode.Scalar?
        for scalar in line.unicodeScalars {
            if offset >= cursor {
                cursorCharacter = scalar
                break
            }
            offset += UTF8.width(scalar)
            position.add(scalar)
        }
        var row = position.row
        // libedit puts the cursor on a double-width character that is moved to the next row
        // at the start of that row.
        if let cursorCharacter, displayKind(of: cursorCharacter) == .printable {
            let width = width(of: cursorCharacter)
            if width > 1, position.column + width > position.columns { row += 1 }
        }
        return min(row, max(0, rows - 1))
    }

    /// The prompt as libedit should get it: terminal escape sequences (colours, for instance)
    /// are wrapped in `\u{1}`…`\u{2}` so that they take no room. A prompt that already holds
    /// such markers is returned unchanged.
    static func encodePrompt(_ prompt: String) -> String {
        if prompt.unicodeScalars.contains(where: { $0 == promptIgnoreStart || $0 == promptIgnoreEnd }) {
            return prompt
        }
        let scalars = Array(prompt.unicodeScalars)
        var encoded = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "\u{1B}" else {
                encoded.append(scalars[index])
                index += 1
                continue
            }
            let end = escapeSequenceEnd(scalars, from: index)
            encoded.append(promptIgnoreStart)
            encoded.append(contentsOf: scalars[index..<end])
            encoded.append(promptIgnoreEnd)
            index = end
        }
        return String(encoded)
    }

    /// The index just after the escape sequence starting at `start` (an ESC): CSI sequences end
    /// with a byte in 0x40...0x7E, OSC sequences with BEL or ESC \, others after one character.
    private static func escapeSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        guard index < scalars.count else { return index }
        switch scalars[index] {
        case "[":
            index += 1
            while index < scalars.count {
                let value = scalars[index].value
                index += 1
                if (0x40...0x7E).contains(value) { break }
            }
            return index
        case "]":
            index += 1
            while index < scalars.count {
                if scalars[index] == "\u{7}" { return index + 1 }
                if scalars[index] == "\u{1B}", index + 1 < scalars.count, scalars[index + 1] == "\\" {
                    return index + 2
                }
                index += 1
            }
            return index
        default:
            return index + 1
        }
    }

    enum DisplayKind: Equatable {
        case tab, newline, control, printable, unprintable
    }

    /// libedit's `ct_chr_class`.
    static func displayKind(of scalar: Unicode.Scalar) -> DisplayKind {
        if scalar == "\t" { return .tab }
        if scalar == "\n" { return .newline }
        if scalar.value < 0x100, CLibrary.iswcntrl(scalar.value) != 0 { return .control }
        if CLibrary.iswprint(scalar.value) != 0 { return .printable }
        return .unprintable
    }

    /// The columns a character takes (`wcwidth`; 0 for what it cannot measure, as libedit).
    static func width(of scalar: Unicode.Scalar) -> Int {
        max(0, Int(CLibrary.wcwidth(Int32(bitPattern: scalar.value))))
    }

    /// `wcwidth`, `iswprint` and `iswcntrl`, the functions libedit measures and classifies
    /// characters with. Swift's Glibc module leaves out <wchar.h>'s X/Open part and <wctype.h>,
    /// so they are looked up in the C library when first used.
    private enum CLibrary {
        typealias Width = @convention(c) (Int32) -> Int32
        typealias Class = @convention(c) (UInt32) -> Int32

        static let wcwidth: Width = lookUp("wcwidth", as: Width.self) ?? { $0 < 0x20 ? -1 : 1 }
        static let iswprint: Class = lookUp("iswprint", as: Class.self) ?? { $0 >= 0x20 && $0 != 0x7F ? 1 : 0 }
        static let iswcntrl: Class = lookUp("iswcntrl", as: Class.self) ?? { $0 < 0x20 || $0 == 0x7F ? 1 : 0 }

        private static func lookUp<Function>(_ name: String, as type: Function.Type) -> Function? {
            guard let library = dlopen(nil, RTLD_NOW), let symbol = dlsym(library, name) else { return nil }
            return unsafeBitCast(symbol, to: type)
        }
    }

    /// The cursor of libedit's virtual display while it lays a line out.
    private struct Position {
        let columns: Int
        var row = 0
        var column = 0

        init(columns: Int) { self.columns = columns }

        /// libedit's `re_putc` with `shift` set.
        mutating func put(width: Int) {
            if width <= columns {
                while column + width > columns { advance(by: 1) }
            }
            advance(by: width)
        }

        private mutating func advance(by width: Int) {
            column += width
            if column >= columns {
                row += 1
                column = 0
            }
        }

        /// libedit's `re_addc`.
        mutating func add(_ scalar: Unicode.Scalar) {
            switch LineLayout.displayKind(of: scalar) {
            case .tab:
                repeat { put(width: 1) } while column % 8 != 0
            case .newline:
                row += 1
                column = 0
            case .control:
                put(width: 1)
                put(width: 1)
            case .printable:
                put(width: width(of: scalar))
            case .unprintable:
                for _ in 0..<(scalar.value > 0xFFFF ? 8 : 7) { put(width: 1) }
            }
        }
    }
}
