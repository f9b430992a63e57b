/// What a terminal shows after receiving some output: a small model of an xterm-like screen,
/// enough to check what an interactive program drew (the rows and where the cursor is) rather
/// than the escape sequences it used to draw it.
///
/// It understands printable text (UTF-8, East Asian wide characters taking two columns), carriage
/// return, line feed, backspace, tab, xterm's deferred wrap at the right margin, scrolling at the
/// bottom, and the CSI sequences line editors use: cursor movement (A B C D E F G H f d),
/// erasing (J K X), inserting and deleting characters and lines (@ P L M). Other escape sequences
/// (colours, modes, titles) are consumed and ignored. ``resize(columns:rows:rewrap:)`` changes
/// the size as a terminal window does, re-wrapping the rows (as VTE, kitty or tmux) or not (xterm).
struct TerminalScreen {
    private(set) var columns: Int
    private(set) var rowCount: Int
    private var cells: [[Character]]
    /// Per row: the text goes on in the next row because it wrapped at the right margin (a
    /// soft wrap, which re-wrapping joins), not because of a line break.
    private var continues: [Bool]
    private(set) var cursorRow = 0
    private(set) var cursorColumn = 0
    /// The cursor is past the last column: the next printable character starts a new row.
    private var wrapPending = false
    private var savedCursor = (row: 0, column: 0)

    private var decoder = UTF8Decoder()
    private var escape: [Unicode.Scalar]?

    init(columns: Int = 80, rows: Int = 24) {
        self.columns = columns
        self.rowCount = rows
        self.cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        self.continues = Array(repeating: false, count: rows)
    }

    /// A screen showing `output` sent to a fresh terminal.
    init(columns: Int = 80, rows: Int = 24, output: [UInt8]) {
        self.init(columns: columns, rows: rows)
        feed(output)
    }

    /// The rows, without trailing spaces.
    var rows: [String] {
        cells.map { row in
            var text = String(row.filter { $0 != Self.wideCharacterTail })
            while text.last == " " { text.removeLast() }
            return text
        }
    }

    /// The rows down to the last one that is not empty, joined with newlines.
    var text: String {
        var shown = rows
        while shown.last == "" { shown.removeLast() }
        return shown.joined(separator: "\n")
    }

    mutating func feed(_ bytes: [UInt8]) {
        for byte in bytes {
            for scalar in decoder.decode(byte) { handle(scalar) }
        }
    }

    mutating func feed(_ text: String) {
        feed(Array(text.utf8))
    }

    // MARK: - Interpretation

    private static let wideCharacterTail: Character = "\u{0}"

    private mutating func handle(_ scalar: Unicode.Scalar) {
        if var sequence = escape {
            sequence.append(scalar)
            if Self.isComplete(sequence) {
                escape = nil
                perform(sequence)
            } else {
                escape = sequence
            }
            return
        }
        switch scalar {
        case "\u{1B}": escape = [scalar]
        case "\r": cursorColumn = 0; wrapPending = false
        case "\n", "\u{B}", "\u{C}": lineFeed()
        case "\u{8}":
            if wrapPending { wrapPending = false } else if cursorColumn > 0 { cursorColumn -= 1 }
        case "\t":
            cursorColumn = min(columns - 1, (cursorColumn / 8 + 1) * 8)
            wrapPending = false
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            break  // BEL and other controls draw nothing
        default:
            put(scalar)
        }
    }

    private mutating func put(_ scalar: Unicode.Scalar) {
        let width = Self.isWide(scalar) ? 2 : 1
        if wrapPending || cursorColumn + width > columns {
            continues[cursorRow] = true
            cursorColumn = 0
            lineFeed()
        }
        cells[cursorRow][cursorColumn] = Character(scalar)
        if width == 2 { cells[cursorRow][cursorColumn + 1] = Self.wideCharacterTail }
        if cursorColumn + width >= columns {
            cursorColumn = columns - 1
            wrapPending = true
        } else {
            cursorColumn += width
        }
    }

    private mutating func lineFeed() {
        wrapPending = false
        if cursorRow == rowCount - 1 {
            cells.removeFirst()
            cells.append(Array(repeating: " ", count: columns))
            continues.removeFirst()
            continues.append(false)
        } else {
            cursorRow += 1
        }
    }

    private static func isComplete(_ sequence: [Unicode.Scalar]) -> Bool {
        guard sequence.count >= 2 else { return false }
        switch sequence[1] {
        case "[":
            guard sequence.count >= 3, let last = sequence.last else { return false }
            return (0x40...0x7E).contains(last.value)
        case "]", "P", "_", "^":
            // OSC, DCS, APC and PM strings end with BEL or ESC \.
            return sequence.last == "\u{7}" || (sequence.count >= 4 && sequence[sequence.count - 2] == "\u{1B}" && sequence.last == "\\")
        case "(", ")", "*", "+", "#", "%":
            return sequence.count >= 3
        default:
            return true
        }
    }

    private mutating func perform(_ sequence: [Unicode.Scalar]) {
        switch sequence[1] {
        case "[": performControlSequence(Array(sequence.dropFirst(2)))
        case "7": savedCursor = (cursorRow, cursorColumn)
        case "8": moveTo(row: savedCursor.row, column: savedCursor.column)
        case "D": lineFeed()
        case "E": cursorColumn = 0; lineFeed()
        case "M":
            if cursorRow == 0 {
                cells.removeLast()
                cells.insert(Array(repeating: " ", count: columns), at: 0)
                continues.removeLast()
                continues.insert(false, at: 0)
            } else {
                cursorRow -= 1
            }
            wrapPending = false
        case "c": self = TerminalScreen(columns: columns, rows: rowCount)
        default: break
        }
    }

    private mutating func performControlSequence(_ body: [Unicode.Scalar]) {
        guard let final = body.last else { return }
        let parameterText = String(String.UnicodeScalarView(body.dropLast()))
        if parameterText.hasPrefix("?") || parameterText.hasPrefix(">") || parameterText.hasPrefix("=") {
            return  // private modes
        }
        let parameters = parameterText.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        func parameter(_ index: Int, default value: Int) -> Int {
            guard index < parameters.count, let given = parameters[index], given != 0 else { return value }
            return given
        }
        let count = parameter(0, default: 1)
        switch final {
        case "A": moveTo(row: cursorRow - count, column: cursorColumn)
        case "B", "e": moveTo(row: cursorRow + count, column: cursorColumn)
        case "C", "a": moveTo(row: cursorRow, column: cursorColumn + count)
        case "D": moveTo(row: cursorRow, column: (wrapPending ? columns : cursorColumn) - count)
        case "E": moveTo(row: cursorRow + count, column: 0)
        case "F": moveTo(row: cursorRow - count, column: 0)
        case "G", "`": moveTo(row: cursorRow, column: count - 1)
        case "d": moveTo(row: count - 1, column: cursorColumn)
        case "H", "f": moveTo(row: parameter(0, default: 1) - 1, column: parameter(1, default: 1) - 1)
        case "J": eraseInDisplay(parameters.first.flatMap { $0 } ?? 0)
        case "K": eraseInLine(parameters.first.flatMap { $0 } ?? 0)
        case "X":
            for column in cursorColumn..<min(columns, cursorColumn + count) { cells[cursorRow][column] = " " }
        case "P":
            var row = cells[cursorRow]
            row.removeSubrange(cursorColumn..<min(columns, cursorColumn + count))
            row += Array(repeating: " ", count: columns - row.count)
            cells[cursorRow] = row
        case "@":
            var row = cells[cursorRow]
            row.insert(contentsOf: Array(repeating: " ", count: count), at: cursorColumn)
            cells[cursorRow] = Array(row.prefix(columns))
        case "L":
            for _ in 0..<min(count, rowCount - cursorRow) {
                cells.removeLast()
                cells.insert(Array(repeating: " ", count: columns), at: cursorRow)
                continues.removeLast()
                continues.insert(false, at: cursorRow)
            }
        case "M":
            for _ in 0..<min(count, rowCount - cursorRow) {
                cells.remove(at: cursorRow)
                cells.append(Array(repeating: " ", count: columns))
                continues.remove(at: cursorRow)
                continues.append(false)
            }
        default:
            break  // m (colours), h and l (modes), r (scroll region) and the rest
        }
    }

    private mutating func moveTo(row: Int, column: Int) {
        cursorRow = max(0, min(rowCount - 1, row))
        cursorColumn = max(0, min(columns - 1, column))
        wrapPending = false
    }

    private mutating func eraseInDisplay(_ mode: Int) {
        switch mode {
        case 0:
            eraseInLine(0)
            for row in (cursorRow + 1)..<rowCount {
                cells[row] = Array(repeating: " ", count: columns)
                continues[row] = false
            }
        case 1:
            eraseInLine(1)
            for row in 0..<cursorRow {
                cells[row] = Array(repeating: " ", count: columns)
                continues[row] = false
            }
        default:
            cells = Array(repeating: Array(repeating: " ", count: columns), count: rowCount)
            continues = Array(repeating: false, count: rowCount)
        }
    }

    private mutating func eraseInLine(_ mode: Int) {
        let range: Range<Int>
        switch mode {
        case 0: range = cursorColumn..<columns
        case 1: range = 0..<(cursorColumn + 1)
        default: range = 0..<columns
        }
        for column in range { cells[cursorRow][column] = " " }
        if mode != 1 { continues[cursorRow] = false }
    }

    // MARK: - Resizing

    /// The window changes size. With `rewrap`, text that wrapped at the old right margin is
    /// laid out again for the new width (the cursor moves with its character, rows pushed off
    /// the top are lost, blank rows at the bottom go first); without, rows are cut or padded and
    /// stay where they were.
    mutating func resize(columns newColumns: Int, rows newRows: Int, rewrap: Bool) {
        var newCells: [[Character]] = []
        var newContinues: [Bool] = []
        var newCursor = (row: 0, column: 0)
        if rewrap {
            var row = 0
            while row < rowCount {
                // One logical line: the rows joined by soft wraps.
                let first = row
                var text: [Character] = []
                while true {
                    text += cells[row]
                    if !continues[row] || row == rowCount - 1 { break }
                    row += 1
                }
                var cursorOffset: Int?
                if (first...row).contains(cursorRow) { cursorOffset = (cursorRow - first) * columns + cursorColumn }
                while text.last == " " { text.removeLast() }
                var pieces: [[Character]] = []
                var piece: [Character] = []
                for (index, character) in text.enumerated() {
                    if index == cursorOffset { newCursor = (newCells.count + pieces.count, piece.count) }
                    let wide = index + 1 < text.count && text[index + 1] == Self.wideCharacterTail
                    if character != Self.wideCharacterTail && piece.count + (wide ? 2 : 1) > newColumns {
                        pieces.append(piece)
                        piece = []
                        if index == cursorOffset { newCursor = (newCells.count + pieces.count, 0) }
                    }
                    piece.append(character)
                }
                if let cursorOffset, cursorOffset >= text.count {
                    // The cursor is past the text: it keeps its distance from the text's end.
                    var column = piece.count + (cursorOffset - text.count)
                    while column >= newColumns {
                        pieces.append(piece)
                        piece = []
                        column -= newColumns
                    }
                    newCursor = (newCells.count + pieces.count, column)
                }
                pieces.append(piece)
                for (index, piece) in pieces.enumerated() {
                    newCells.append(piece + Array(repeating: " ", count: max(0, newColumns - piece.count)))
                    newContinues.append(index < pieces.count - 1)
                }
                row += 1
            }
        } else {
            for row in 0..<rowCount {
                var cut = Array(cells[row].prefix(newColumns))
                if cut.count == newColumns, cells[row].count > newColumns, cells[row][newColumns] == Self.wideCharacterTail {
                    cut[newColumns - 1] = " "
                }
                newCells.append(cut + Array(repeating: " ", count: max(0, newColumns - cut.count)))
                newContinues.append(false)
            }
            newCursor = (cursorRow, min(cursorColumn, newColumns - 1))
        }
        // Blank rows below the cursor go first, then rows at the top.
        while newCells.count > newRows, newCells.count - 1 > newCursor.row,
              newCells.last?.allSatisfy({ $0 == " " }) ?? false {
            newCells.removeLast()
            newContinues.removeLast()
        }
        if newCells.count > newRows {
            let excess = newCells.count - newRows
            newCells.removeFirst(excess)
            newContinues.removeFirst(excess)
            newCursor.row -= excess
        }
        while newCells.count < newRows {
            newCells.append(Array(repeating: " ", count: newColumns))
            newContinues.append(false)
        }
        columns = newColumns
        rowCount = newRows
        cells = newCells
        continues = newContinues
        cursorRow = max(0, min(newRows - 1, newCursor.row))
        cursorColumn = max(0, min(newColumns - 1, newCursor.column))
        wrapPending = false
    }

    /// East Asian wide and fullwidth characters and emoji: the common ranges, enough for tests.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Incremental UTF-8 decoding; invalid bytes become U+FFFD.
    private struct UTF8Decoder {
        private var pending: [UInt8] = []
        private var expected = 0

        /// The characters completed by `byte` (none, one, or a replacement and one).
        mutating func decode(_ byte: UInt8) -> [Unicode.Scalar] {
            if !pending.isEmpty {
                guard byte & 0xC0 == 0x80 else {
                    pending = []
                    return ["\u{FFFD}"] + decode(byte)
                }
                pending.append(byte)
                guard pending.count == expected else { return [] }
                defer { pending = [] }
                return [String(decoding: pending, as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"]
            }
            switch byte {
            case 0x00...0x7F: return [Unicode.Scalar(byte)]
            case 0xC2...0xDF: expected = 2
            case 0xE0...0xEF: expected = 3
            case 0xF0...0xF4: expected = 4
            default: return ["\u{FFFD}"]
            }
            pending = [byte]
            return []
        }
    }
}
