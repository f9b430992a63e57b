/// What a bracketed paste puts into the line being composed. Pure, so it is unit-tested.
///
/// Terminals send the line breaks of pasted text as CR (some as CR LF); they become LF, the line
/// break a multi-line message carries. One line break at the very end is dropped: copying whole
/// lines from an editor or a terminal takes the last one along, and without it a pasted line
/// followed by Enter sends exactly that line, as it did before bracketed paste. NUL bytes are
/// dropped (libedit's line is a C string). Bytes that are not UTF-8 become U+FFFD.
enum PastedText {
    static func text(_ bytes: [UInt8]) -> String {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x0D:
                normalized.append(0x0A)
                if index < bytes.count, bytes[index] == 0x0A { index += 1 }
            case 0x00:
                continue
            default:
                normalized.append(byte)
            }
        }
        if normalized.last == 0x0A { normalized.removeLast() }
        return String(decoding: normalized, as: UTF8.self)
    }
}
