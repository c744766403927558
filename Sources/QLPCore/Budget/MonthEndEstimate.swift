/// The two month-end estimates qlp shows, each under one name everywhere
/// (views, alerts, reports): qlp's own straight line from the complete days
/// so far, and Cost Management's forecast. They disagree by design (different
/// models), so neither is ever called just "forecast".
public enum MonthEndEstimate: Sendable, Equatable, CaseIterable {
    /// `MonthEndProjection.linear`: spend over the complete days, scaled to the month.
    case linearProjection
    /// Cost Management's forecast (and Azure budgets' forecasted spend).
    case azureForecast

    /// "linear projection", "Azure forecast": as it reads mid-sentence.
    public var name: String {
        switch self {
        case .linearProjection: "linear projection"
        case .azureForecast: "Azure forecast"
        }
    }

    /// "Linear projection", "Azure forecast": at the start of a line.
    public var title: String {
        switch self {
        case .linearProjection: "Linear projection"
        case .azureForecast: "Azure forecast"
        }
    }
}
