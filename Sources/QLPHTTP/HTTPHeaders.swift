/// An ordered list of HTTP header fields, as sent or as received.
///
/// Order and duplicates are kept (some headers, like `Set-Cookie`, repeat);
/// lookups by name ignore ASCII case, as HTTP requires.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    /// One header field.
    public typealias Element = (name: String, value: String)

    private struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    private var fields: [Field]

    /// An empty header list.
    public init() {
        fields = []
    }

    /// A header list holding `pairs` in the given order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Appends a field, keeping any earlier field of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field called `name` (any case), then appends one with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field called `name` (any case).
    public mutating func remove(name: String) {
        fields.removeAll { Self.namesMatch($0.name, name) }
    }

    /// The value of the first field called `name` (any case), or nil.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// The values of every field called `name` (any case), in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// True when some field is called `name` (any case).
    public func contains(name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// The number of fields, duplicates included.
    public var count: Int { fields.count }

    /// True when there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> some IteratorProtocol<Element> {
        fields.lazy.map { (name: $0.name, value: $0.value) }.makeIterator()
    }

    /// Header names are ASCII tokens, so an ASCII-only case fold is exact and
    /// avoids Unicode case mapping on every lookup.
    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { ASCIICase.lowercased($0) == ASCIICase.lowercased($1) }
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    /// A header list from a literal; the literal's order is kept.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

extension HTTPHeaders: CustomStringConvertible {
    /// Names only: header values carry bearer tokens and keys, and this text
    /// ends up in logs and test failure messages.
    public var description: String {
        "[" + fields.map { "\($0.name): <\($0.value.utf8.count) bytes>" }.joined(separator: ", ") + "]"
    }
}
