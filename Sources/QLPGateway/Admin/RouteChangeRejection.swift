import QLPRouting
import QLPStore

/// Why a route change did not take effect. Every case but `storage` is also
/// written to the audit log as a rejected entry.
public enum RouteChangeRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The change was made against an older version: someone else changed the table since.
    case stale(current: Int)
    /// The change does not fit the table (unknown route, weights not summing to 100, ...).
    case invalid(RouteChangeError)
    /// Undo with no change to undo (only the table seeded from config).
    case nothingToUndo
    /// The change could not be made durable; it has not taken effect.
    case storage(StoreError)

    public var description: String {
        switch self {
        case .stale(let current):
            "the route table has changed since you read it (it is at version \(current) now); read it again and retry"
        case .invalid(let error): error.description
        case .nothingToUndo: "there is no change to undo: the table is the one seeded from the config file"
        // The store first: a notice cut to the terminal's width still says what did not answer.
        case .storage(let error): "not saved, so not in effect: \(error)"
        }
    }
}
