/// How politely qlp talks to each Azure host.
public struct ThrottlingPolicy: Sendable, Equatable {
    /// Requests in flight to one host at once (and so connections to it).
    public var maxConcurrentPerHost: Int
    /// Requests per minute per host and lane. Cost Management's quota is per
    /// tenant and small, so its lane gets a small budget of its own; other
    /// calls to the same host (Monitor, budgets) use `defaultBudgetPerMinute`.
    public var costManagementBudgetPerMinute: Int
    public var defaultBudgetPerMinute: Int
    /// Attempts for a request that meets a 5xx, a timeout or a dropped
    /// connection (1 = no retry).
    public var maxAttempts: Int
    /// First backoff; it doubles per retry, with jitter, up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Longest a request waits for the per-minute budget before giving up
    /// with a 429 of qlp's own.
    public var maxBudgetWait: Duration

    public init(
        maxConcurrentPerHost: Int = 8, costManagementBudgetPerMinute: Int = 30, defaultBudgetPerMinute: Int = 600,
        maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(8),
        maxBudgetWait: Duration = .seconds(30)
    ) {
        self.maxConcurrentPerHost = max(1, maxConcurrentPerHost)
        self.costManagementBudgetPerMinute = max(1, costManagementBudgetPerMinute)
        self.defaultBudgetPerMinute = max(1, defaultBudgetPerMinute)
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxBudgetWait = maxBudgetWait
    }

    public static let standard = ThrottlingPolicy()

    /// Which budget a request spends: Cost Management (query, forecast,
    /// budgets, Consumption) or everything else on the host.
    static func lane(of url: String) -> String {
        let lower = url.lowercased()
        return lower.contains("/providers/microsoft.costmanagement/") || lower.contains("/providers/microsoft.consumption/")
            ? "cost-management" : "default"
    }

    func budget(for lane: String) -> Int {
        lane == "cost-management" ? costManagementBudgetPerMinute : defaultBudgetPerMinute
    }
}
