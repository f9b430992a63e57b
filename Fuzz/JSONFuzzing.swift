/// The JSON reader. Invariants: what it accepts, written compactly and read again, is the
/// same value; and writing is stable (the second writing equals the first).
enum JSONFuzzing {
    static func run(_ input: [UInt8]) {
        guard let text = String(validating: input, as: UTF8.self) else { return }
        if let values = try? JSONParser.parseSequence(text) {
            for value in values { checkRoundTrip(value) }
        }
        if let value = try? JSONParser.parse(text) { checkRoundTrip(value) }
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
