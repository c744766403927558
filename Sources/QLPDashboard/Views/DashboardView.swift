/// The screens, switched by number keys, Tab/Shift-Tab and `:name` (k9s and
/// lazygit style). The raw value is the number key.
public enum DashboardView: Int, Sendable, CaseIterable {
    case overview = 1
    case budget = 2
    case models = 3
    case routing = 4
    case monitor = 5
    case alerts = 6
    case audit = 7
    case keys = 8

    public var title: String {
        switch self {
        case .overview: "Overview"
        case .budget: "Budget"
        case .models: "Models"
        case .routing: "Routing"
        case .monitor: "Monitor"
        case .alerts: "Alerts"
        case .audit: "Audit"
        case .keys: "Keys"
        }
    }

    /// The name typed after `:` ("routing").
    public var commandName: String { title.lowercased() }

    /// The view a `:name` command names, ignoring case.
    public static func named(_ name: String) -> DashboardView? {
        allCases.first { $0.commandName == name.lowercased() }
    }

    public var next: DashboardView {
        DashboardView(rawValue: rawValue % DashboardView.allCases.count + 1) ?? .overview
    }

    public var previous: DashboardView {
        let count = DashboardView.allCases.count
        return DashboardView(rawValue: (rawValue + count - 2) % count + 1) ?? .overview
    }
}
