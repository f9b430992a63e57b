/// The binary attachments of BINARY_EVENT and BINARY_ACK packets. In the packet's JSON each
/// attachment is a placeholder, `{"_placeholder":true,"num":0}`, numbered in the order the
/// binary messages follow the packet.
public enum SocketIOAttachments {
    /// The placeholder for attachment `number`.
    public static func placeholder(_ number: Int) -> JSONValue {
        .object([("_placeholder", .bool(true)), ("num", .integer(number))])
    }

    /// An object with `"_placeholder": true` (whether or not its number is valid).
    public static func isPlaceholder(_ value: JSONValue) -> Bool {
        value.isObject && value["_placeholder"] == .bool(true)
    }

    /// `value` with every placeholder replaced by `render(attachment)`. Every attachment must
    /// be used at least once and every placeholder must name one of them.
    public static func fill(_ value: JSONValue, with attachments: [[UInt8]],
                            render: ([UInt8]) -> JSONValue) throws(SocketIOError) -> JSONValue {
        var used = [Bool](repeating: false, count: attachments.count)
        let filled = try fill(value, attachments, render, &used)
        if let missing = used.firstIndex(of: false) {
            throw .invalidPlaceholder("attachment \(missing) has no placeholder")
        }
        return filled
    }

    private static func fill(_ value: JSONValue, _ attachments: [[UInt8]], _ render: ([UInt8]) -> JSONValue,
                             _ used: inout [Bool]) throws(SocketIOError) -> JSONValue {
        if isPlaceholder(value) {
            guard let number = value["num"]?.intValue, number >= 0, number < attachments.count else {
                throw .invalidPlaceholder("\(value.serialized) (the packet has \(attachments.count) attachments)")
            }
            used[number] = true
            return render(attachments[number])
        }
        switch value {
        case let .array(elements):
            var result: [JSONValue] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try fill(element, attachments, render, &used)) }
            return .array(result)
        case let .object(members):
            var result: [(key: String, value: JSONValue)] = []
            result.reserveCapacity(members.count)
            for member in members { result.append((member.key, try fill(member.value, attachments, render, &used))) }
            return .object(result)
        case .null, .bool, .number, .string:
            return value
        }
    }

    /// `value` with every value that `bytes` turns into bytes replaced by a placeholder, and
    /// those bytes as the attachments, in placeholder order.
    public static func extract<Failure: Error>(_ value: JSONValue,
                                               bytes: (JSONValue) throws(Failure) -> [UInt8]?) throws(Failure) -> (JSONValue, [[UInt8]]) {
        var attachments: [[UInt8]] = []
        let result = try extract(value, bytes, &attachments)
        return (result, attachments)
    }

    private static func extract<Failure: Error>(_ value: JSONValue, _ bytes: (JSONValue) throws(Failure) -> [UInt8]?,
                                                _ attachments: inout [[UInt8]]) throws(Failure) -> JSONValue {
        if let data = try bytes(value) {
            attachments.append(data)
            return placeholder(attachments.count - 1)
        }
        switch value {
        case let .array(elements):
            var result: [JSONValue] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try extract(element, bytes, &attachments)) }
            return .array(result)
        case let .object(members):
            var result: [(key: String, value: JSONValue)] = []
            result.reserveCapacity(members.count)
            for member in members { result.append((member.key, try extract(member.value, bytes, &attachments))) }
            return .object(result)
        case .null, .bool, .number, .string:
            return value
        }
    }
}
