/// The JSON reader. Invariants: the tokenizer's tokens come in order with nothing but JSON
/// whitespace between them, and a text it accepts is valid UTF-8 that the parser accepts too;
/// what the parser accepts, written compactly and read again, is the same value; and writing
/// is stable (the second writing equals the first).
enum JSONFuzzing {
    static func run(_ input: [UInt8]) {
        checkTokens(input)
        guard let text = String(validating: input, as: UTF8.self) else { return }
        if let values = try? JSONParser.parseSequence(text) {
            for value in values { checkRoundTrip(value) }
        }
        if let value = try? JSONParser.parse(text) { checkRoundTrip(value) }
    }

    private static func checkTokens(_ input: [UInt8]) {
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var tokenizer = JSONTokenizer(input)
        var end = 0
        do {
            while let token = try tokenizer.next() {
                require(!token.range.isEmpty && token.range.lowerBound >= end && token.range.upperBound <= input.count,
                        "token \(token) out of order after offset \(end)")
                require(input[end..<token.range.lowerBound].allSatisfy(isWhitespace), "skipped more than whitespace before \(token)")
                end = token.range.upperBound
            }
        } catch {
            if let text = String(validating: input, as: UTF8.self) {
                require((try? JSONParser.parse(text)) == nil, "the parser accepts what the tokenizer refused: \(error)")
            }
            return
        }
        require(input[end...].allSatisfy(isWhitespace), "ended before the input did")
        guard let text = String(validating: input, as: UTF8.self) else {
            return require(false, "accepted invalid UTF-8")
        }
        require((try? JSONParser.parse(text)) != nil, "the parser refuses what the tokenizer accepted")
    }

    private static func checkRoundTrip(_ value: JSONValue) {
        let written = value.serialized
        guard let reread = try? JSONParser.parse(written) else {
            return require(false, "cannot read back what was written: \(written)")
        }
        require(reread == value, "round trip changed the value: \(written)")
        require(reread.serialized == written, "writing is not stable: \(written)")
    }
}
