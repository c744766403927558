import QLPCore

/// The Keys view's `/` filter: keys whose name contains the text, ignoring
/// case. Names only: a state word such as "active" would match most keys by
/// their state and hide the one named for it.
public struct KeyFilter: Sendable, Equatable {
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    public func matches(_ key: KeyActivity) -> Bool {
        text.isEmpty || key.name.lowercased().contains(text.lowercased())
    }

    public func apply(_ keys: [KeyActivity]) -> [KeyActivity] {
        text.isEmpty ? keys : keys.filter(matches)
    }
}
