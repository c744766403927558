import Foundation
import QLPAzure

/// A panel's data and how much to trust it. A panel never shows old data as
/// fresh: cached values, failed refreshes and data older than `staleAfter`
/// are all stale, and say why.
public struct PanelData<Value: Sendable>: Sendable {
    public enum Source: Sendable, Equatable {
        /// Fetched by this process.
        case live
        /// Loaded from the local history at start-up.
        case cache
    }

    /// Why the last refresh failed, and when the next try is.
    public struct Problem: Sendable, Equatable {
        public var summary: String
        public var detail: String
        public var at: Date
        public var nextAttempt: Date?
        /// Set when the service asked us to wait: the panel says "throttled
        /// until 15:42:10" rather than showing an error.
        public var throttledUntil: Date?
        /// Who is making qlp wait, when it waits: the service's Retry-After
        /// or qlp's own per-minute budget (the screen says which).
        public var throttleReason: HoldReason?

        public init(
            summary: String, detail: String, at: Date, nextAttempt: Date?, throttledUntil: Date? = nil,
            throttleReason: HoldReason? = nil
        ) {
            self.summary = summary
            self.detail = detail
            self.at = at
            self.nextAttempt = nextAttempt
            self.throttledUntil = throttledUntil
            self.throttleReason = throttleReason
        }
    }

    public var value: Value?
    public var updatedAt: Date?
    public var source: Source
    public var problem: Problem?
    public var refreshing: Bool
    /// Data older than this is stale even if nothing failed.
    public var staleAfter: Duration

    public init(staleAfter: Duration) {
        self.value = nil
        self.updatedAt = nil
        self.source = .live
        self.problem = nil
        self.refreshing = false
        self.staleAfter = staleAfter
    }

    public mutating func succeed(_ value: Value, at date: Date, source: Source = .live) {
        self.value = value
        self.updatedAt = date
        self.source = source
        if source == .live { problem = nil }
    }

    public mutating func fail(_ problem: Problem) {
        self.problem = problem
        refreshing = false
    }

    /// Why the data cannot be taken as current, or nil when it can.
    public func staleness(now: Date) -> String? {
        guard value != nil else { return nil }
        if let problem { return problem.summary }
        if source == .cache { return "from cache" }
        if let updatedAt, now.timeIntervalSince(updatedAt) > TimeInterval(staleAfter.components.seconds) { return "not refreshed" }
        return nil
    }
}
