import Foundation
import QLPCore

/// What the gateway's usage ledger gives the report: its hourly rollups, and
/// from the config how to price what routing saved and which targets Azure
/// bills. The builder reads only the rollups whose hour falls (in the billing
/// time zone) on the report's compared days and the previous days compared
/// with them; the caller may pass more.
public struct UsageReportInput: Sendable {
    /// Rollups overlapping the period and the previous period.
    public var rollups: [UsageRollup]
    /// Where they were read: "the usage ledger at ~/.local/state/qlp/usage.sqlite".
    public var source: String
    /// Route name -> the target its requests are priced at for the savings
    /// (`SavingsBaseline.baselines`). Routes not in it are left out of the savings.
    public var baselines: [String: SavingsBaseline]
    /// Targets Azure OpenAI bills; any other target (an Ollama model) has no
    /// marginal cost on the invoice.
    public var azureTargets: Set<String>

    public init(rollups: [UsageRollup], source: String, baselines: [String: SavingsBaseline], azureTargets: Set<String>) {
        self.rollups = rollups
        self.source = source
        self.baselines = baselines
        self.azureTargets = azureTargets
    }

    /// Baselines and Azure targets from the config's routing section.
    public init(rollups: [UsageRollup], source: String, routing: RoutingSettings) {
        self.init(
            rollups: rollups, source: source, baselines: SavingsBaseline.baselines(routing),
            azureTargets: Set(routing.targets.filter { $0.backend == .azureOpenAI }.map(\.name)))
    }
}
