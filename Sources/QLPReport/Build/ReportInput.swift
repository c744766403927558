import Foundation
import QLPCore

/// The cost data a report is built from, whatever its source.
public struct ReportInput: Sendable {
    public var records: [CostRecord]
    /// "Cost Management, subscriptions/…" or the file's path.
    public var source: String
    public var basis: CostBasis
    public var rowsRead: Int
    /// Rows left out by --skip-bad-rows: "file:line: column: problem" (the
    /// first of them, for a source with very many).
    public var skipped: [String]
    /// Every row left out, listed in `skipped` or not.
    public var skippedCount: Int
    /// Spend by value of the report tag ("" for untagged), when the source
    /// reports tags apart from the records (Cost Management); nil to read the
    /// records' own tags (cost files).
    public var tagSpend: [String: DailySpend]?
    /// Azure's forecast for the month, if it was fetched.
    public var azureForecast: Decimal?
    /// Why there is no Azure forecast, when there is none.
    public var forecastNote: String?
    /// MongoDB Atlas credit use, when the Atlas Admin API was read.
    public var atlas: AtlasCreditUse?
    /// Why there is no Atlas figure, when there is none.
    public var atlasNote: String?
    /// The gateway's usage ledger, for routing savings and spend by key and
    /// route; nil when it was not read, and `usageNote` says why.
    public var usage: UsageReportInput?
    /// Why there is no usage ledger: "no usage ledger at PATH: the gateway has not run on this machine".
    public var usageNote: String?

    public init(
        records: [CostRecord], source: String, basis: CostBasis, rowsRead: Int, skipped: [String] = [],
        skippedCount: Int? = nil, tagSpend: [String: DailySpend]? = nil, azureForecast: Decimal? = nil,
        forecastNote: String? = nil
    ) {
        self.records = records
        self.source = source
        self.basis = basis
        self.rowsRead = rowsRead
        self.skipped = skipped
        self.skippedCount = max(skippedCount ?? skipped.count, skipped.count)
        self.tagSpend = tagSpend
        self.azureForecast = azureForecast
        self.forecastNote = forecastNote
    }
}

/// Why a report cannot be built.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source's currency is not the budget's and no rate is configured.
    case currencyMismatch(source: String, found: [String], budget: String)
    /// Not one day of the period has ended by `today` (the first day not
    /// complete); `data` is the days the source has Azure rows for.
    case periodNotStarted(period: ReportPeriod, today: CivilDate, data: DayRange?)
    /// The period's complete days hold no day of the source's data.
    case noDataInPeriod(period: ReportPeriod, days: DayRange, data: DayRange)

    public var description: String {
        switch self {
        case .currencyMismatch(let source, let found, let budget):
            "\(source): costs are in \(found.joined(separator: ", ")) but the budget is in \(budget); "
                + "set budget.exchange_rates.\(found.first ?? "USD") in the config (\(budget) per unit) to convert them"
        case .periodNotStarted(let period, let today, let data):
            (period.days.first == today
                ? "\(Self.named(period)) has no complete day yet: it starts on \(today), which is not over"
                : "\(Self.named(period)) has not started: the last complete day is \(today.adding(days: -1))")
                + "; "
                + (data.map { "there is data from \($0.first) to \($0.last)" } ?? "the source has no Azure cost rows before \(today)")
        case .noDataInPeriod(let period, let days, let data):
            "there is no data for \(Self.named(period))\(days == period.days ? "" : " up to \(days.last)"): "
                + "there is data from \(data.first) to \(data.last)"
        }
    }

    /// "month 2026-11 (2026-11-01 to 2026-11-30)"; a custom period is its days already.
    private static func named(_ period: ReportPeriod) -> String {
        if case .custom = period { return "\(period)" }
        return "\(period) (\(period.days.first) to \(period.days.last))"
    }
}
