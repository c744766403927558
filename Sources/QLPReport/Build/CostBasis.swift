/// Whether figures are billed (actual) or amortized cost (reservation and
/// savings-plan purchases spread over their term).
public enum CostBasis: String, Sendable, CaseIterable {
    case actual, amortized
}
