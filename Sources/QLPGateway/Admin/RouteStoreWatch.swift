import QLPStore

/// What the route authority's periodic look at the store (for changes
/// another process committed) has to say: a failure when the store starts
/// failing and its recovery, each once, so a broken disk is named in the log
/// without filling it every few seconds.
public struct RouteStoreWatch: Sendable, Equatable {
    public enum Note: Sendable, Equatable {
        case nothing
        case failing(StoreError)
        case recovered
    }

    private var failing = false

    public init() {}

    /// The outcome of one look: whether the table changed, or why the store could not be read.
    public mutating func record(_ outcome: Result<Bool, StoreError>) -> Note {
        switch outcome {
        case .success:
            defer { failing = false }
            return failing ? .recovered : .nothing
        case .failure(let error):
            defer { failing = true }
            return failing ? .nothing : .failing(error)
        }
    }
}
