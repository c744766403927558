/// The screens, switched by number keys and Tab (k9s and lazygit style).
public enum DashboardView: Int, Sendable, CaseIterable {
    case overview = 1
    case budget = 2
    case monitor = 3

    public var title: String {
        switch self {
        case .overview: "Overview"
        case .budget: "Budget"
        case .monitor: "Monitor"
        }
    }

    public var next: DashboardView {
        DashboardView(rawValue: rawValue % DashboardView.allCases.count + 1) ?? .overview
    }
}
