/// The data of Engine.IO's open packet: `{"sid":"…","upgrades":[],"pingInterval":25000,
/// "pingTimeout":20000,"maxPayload":1000000}`. The server pings every `pingInterval` ms; a
/// client that has heard nothing for `pingInterval + pingTimeout` ms may take it for dead.
public struct EngineIOHandshake: Sendable, Equatable {
    public var sid: String
    public var upgrades: [String]
    /// Milliseconds between the server's pings.
    public var pingInterval: Int
    /// Milliseconds the server waits for our pong (and we allow on top of the interval).
    public var pingTimeout: Int
    /// The largest packet the server accepts, in bytes, when it says.
    public var maxPayload: Int?

    public init(sid: String, upgrades: [String] = [], pingInterval: Int, pingTimeout: Int, maxPayload: Int? = nil) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }

    /// Reads the JSON after the `0`; `sid`, `pingInterval` and `pingTimeout` are required.
    public init(parsing json: String) throws(EngineIOError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            throw .invalidOpenPacket("not JSON: \(error)")
        }
        guard value.isObject else { throw .invalidOpenPacket("not a JSON object") }
        guard let sid = value["sid"]?.stringValue else { throw .invalidOpenPacket("no \"sid\" string") }
        guard let interval = value["pingInterval"]?.intValue, interval > 0 else {
            throw .invalidOpenPacket("no positive integer \"pingInterval\"")
        }
        guard let timeout = value["pingTimeout"]?.intValue, timeout > 0 else {
            throw .invalidOpenPacket("no positive integer \"pingTimeout\"")
        }
        self.sid = sid
        self.pingInterval = interval
        self.pingTimeout = timeout
        self.upgrades = value["upgrades"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.maxPayload = value["maxPayload"]?.intValue
    }

    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("sid", .string(sid)),
            ("upgrades", .array(upgrades.map { .string($0) })),
            ("pingInterval", .integer(pingInterval)),
            ("pingTimeout", .integer(pingTimeout)),
        ]
        if let maxPayload { members.append(("maxPayload", .integer(maxPayload))) }
        return .object(members)
    }
}
