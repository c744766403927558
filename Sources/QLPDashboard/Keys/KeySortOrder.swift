import QLPCore

/// The Keys view's order, cycled by `s`: figures largest first, so the key
/// that spends or loads the gateway most is on top; ties go by name.
public enum KeySortOrder: String, Sendable, CaseIterable {
    /// Spend in the budget period.
    case spend
    case name
    /// Requests in the last minute.
    case rpm
    /// Requests in the budget period.
    case requests

    public func sorted(_ keys: [KeyActivity]) -> [KeyActivity] {
        keys.sorted { a, b in
            switch self {
            case .name: return a.name < b.name
            case .spend: return a.spent != b.spent ? a.spent > b.spent : a.name < b.name
            case .rpm: return a.requestsLastMinute != b.requestsLastMinute ? a.requestsLastMinute > b.requestsLastMinute : a.name < b.name
            case .requests: return a.requests != b.requests ? a.requests > b.requests : a.name < b.name
            }
        }
    }

    /// The next order `s` moves to.
    public var next: KeySortOrder {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }
}
