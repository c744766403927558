/// Where an alert comes from: what a notification sink's `sources` list
/// selects and the Alerts view's SOURCE column shows.
public enum AlertSource: Sendable, Equatable, Hashable, CaseIterable {
    /// The monthly budget, a category allocation, a month-end projection or forecast.
    case budget
    /// The cost data itself: stale, or failing to refresh.
    case costData
    /// The gateway's traffic and health: SLO breach, breaker/target down, fallback storm, throttling.
    case gateway
    /// A budget-coupled routing rule fired or cleared.
    case routing

    /// As config files, JSON bodies and the database spell it.
    public var name: String {
        switch self {
        case .budget: "budget"
        case .costData: "cost_data"
        case .gateway: "gateway"
        case .routing: "routing"
        }
    }

    /// As the screen shows it.
    public var label: String {
        switch self {
        case .costData: "cost data"
        default: name
        }
    }

    /// The source `name` spells, or nil.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
