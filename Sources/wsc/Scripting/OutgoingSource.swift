/// Where a one-shot message comes from: `-x TEXT` or `--file PATH`, in command-line order.
enum OutgoingSource: Equatable {
    case argument(String)
    case file(String)

    /// Interleaves the parsed `-x` values and `--file` paths in the order the user wrote them.
    ///
    /// swift-argument-parser keeps the order within one option but not across two, so the raw
    /// arguments are scanned for the option names. Every option value of wsc that could look
    /// like `-x` or `--file` is refused by the parser before this runs (values that start with
    /// '-' are taken only by numeric options), so the scan sees the same options the parser
    /// saw; nil when the counts still disagree (an unusual spelling), rather than a guess.
    static func inOrder(execute: [String], files: [String], arguments: some Sequence<String>) -> [OutgoingSource]? {
        if files.isEmpty { return execute.map(OutgoingSource.argument) }
        if execute.isEmpty { return files.map(OutgoingSource.file) }
        var isFile: [Bool] = []
        for argument in arguments {
            if argument == "--" { break }
            if argument.hasPrefix("--") {
                let name = argument.split(separator: "=", maxSplits: 1).first ?? ""
                if name == "--execute" { isFile.append(false) }
                if name == "--file" { isFile.append(true) }
            } else if argument.hasPrefix("-"), argument.count > 1, !argument.contains("=") {
                // -x alone or in a group of short flags (-bx).
                for character in argument.dropFirst() where character == "x" { isFile.append(false) }
            }
        }
        guard isFile.filter({ $0 }).count == files.count, isFile.filter({ !$0 }).count == execute.count else {
            return nil
        }
        var nextArgument = execute.makeIterator()
        var nextFile = files.makeIterator()
        return isFile.compactMap { $0 ? nextFile.next().map(OutgoingSource.file) : nextArgument.next().map(OutgoingSource.argument) }
    }
}
