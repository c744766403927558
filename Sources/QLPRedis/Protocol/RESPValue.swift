/// One RESP2 reply. RESP3 types (sent only after HELLO 3, which this client never sends) are folded into
/// these when they appear anyway: null as a null bulk string, booleans as 1/0, doubles and big numbers as
/// bulk text, maps, sets and pushes as arrays.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    case bulkString([UInt8]?)
    case array([RESPValue]?)

    /// A simple or bulk string as UTF-8; nil for other types, null or invalid UTF-8.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(validating: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// An integer, or a string that holds one (GET of a counter answers a bulk string).
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .simpleString, .bulkString: string.flatMap { Int($0) }
        default: nil
        }
    }

    /// The elements of a non-null array.
    public var array: [RESPValue]? {
        if case .array(let elements?) = self { elements } else { nil }
    }

    /// A bulk string made of text.
    public static func bulk(_ text: String) -> RESPValue { .bulkString(Array(text.utf8)) }
}
