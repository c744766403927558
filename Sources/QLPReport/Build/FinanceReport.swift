import Foundation
import QLPCore

/// The weekly (or monthly) finance review as data. Every renderer (table,
/// Markdown, CSV, JSON) reads this one value, and its figures come from the
/// same core as the dashboard's. Money is in the budget's currency, unrounded;
/// renderers round to pennies.
public struct FinanceReport: Sendable, Equatable {
    /// Bumped when a field changes meaning or is removed (docs/report-schema.json).
    /// 2: the usage ledger's sections (routing savings, spend by key and route,
    /// ledger against invoice), and model_spend's note points to them.
    public static let schemaVersion = 2

    public var period: ReportPeriod
    public var previousPeriod: ReportPeriod
    /// The period has days not complete yet: its figures are so far.
    public var isInProgress: Bool
    /// The days every figure of the period is read over: its complete days.
    public var comparedDays: DayRange
    /// What they are compared with: the whole previous period, or while this
    /// one runs, as many days from its start (ReportWindow).
    public var previousComparedDays: DayRange
    public var generatedAt: Date
    /// The day after the period (or today, if sooner): positions are "as of" its start.
    public var asOf: CivilDate
    public var currency: Currency
    public var source: String
    public var basis: CostBasis

    /// Credit start to expiry, inclusive.
    public var creditPeriod: DayRange
    public var credits: [CreditLine]
    public var creditTotal: CreditLine
    public var unmapped: Decimal
    public var unmappedServices: [String]
    public var atlas: AtlasStatus
    public var monthly: MonthlyStatus
    public var services: Comparison
    public var resourceGroups: Comparison?
    public var tags: Comparison?
    public var tagKey: String
    public var anomalies: [Anomaly]
    public var alertsFired: [AlertFired]
    public var modelSpend: ModelSpend
    /// What routing saved, from the gateway's usage ledger; nil when the
    /// ledger was not read (`usageNote` says why), never zeros.
    public var routingSavings: RoutingSavings?
    /// Usage by client key, costliest first; nil without the ledger.
    public var keySpend: [UsageSpend]?
    /// Usage by route and by each route's targets, costliest first; nil without the ledger.
    public var routeSpend: [RouteSpend]?
    public var ledgerVersusInvoice: LedgerVersusInvoice?
    /// Where the usage figures were read (`UsageReportInput.source`), or why there are none.
    public var usageNote: String
    public var quality: DataQuality

    /// The usage ledger was read: its sections have figures.
    public var hasUsage: Bool { keySpend != nil }
}

/// One credit bucket (or the whole credit) as of the report date.
public struct CreditLine: Sendable, Equatable {
    public var key: String
    public var label: String
    public var allocation: Decimal
    public var used: Decimal
    public var remaining: Decimal
    /// Spend per day over the last complete days (nil without any).
    public var burnRate: Decimal?
    public var burnDays: Int
    /// What could be spent per day from here to expiry and still last.
    public var requiredRate: Decimal?
    public var exhaustion: CreditExhaustion
}

/// MongoDB Atlas credits: read from the Atlas Admin API when it is
/// configured; otherwise the report says why there is no figure.
public struct AtlasStatus: Sendable, Equatable {
    public var allocation: Decimal?
    /// The position, when Atlas's invoices were read.
    public var use: AtlasCreditUse?
    public var note: String
}

/// Month-to-date against the monthly budget, as of the report date.
public struct MonthlyStatus: Sendable, Equatable {
    public var month: CivilDate
    public var amount: Decimal
    public var spentToDate: Decimal
    public var state: ThresholdState
    public var crossings: [ThresholdCrossing]
    public var linearProjection: MonthEndProjection?
    /// Azure's own forecast, when it was fetched; `forecastNote` says why not otherwise.
    public var azureForecast: Decimal?
    public var forecastNote: String
}

/// This period against the previous one, by some dimension: the top nine
/// lines and "Others", as the Azure portal shows it.
public struct Comparison: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var name: String
        public var current: Decimal
        public var previous: Decimal
        public var change: Decimal { current - previous }
        /// nil when the previous period had nothing (a new cost).
        public var changePercent: Decimal? { previous != 0 ? (current - previous) * 100 / previous : nil }
    }

    public var lines: [Line]
    /// Lines with the largest increases and decreases (up to three each).
    public var risers: [Line]
    public var fallers: [Line]
    public var currentTotal: Decimal
    public var previousTotal: Decimal
}

/// A cost pattern worth a look, by azure-cost-cli's rules.
public struct Anomaly: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case newCost = "new cost"
        case removedCost = "removed cost"
        case jump = "daily jump"
        case steadyGrowth = "steady growth"
    }

    public var kind: Kind
    /// "service" or "resource group".
    public var dimension: String
    public var name: String
    public var day: CivilDate
    public var amount: Decimal
    public var detail: String
}

/// A budget notification that would have fired during the period.
public struct AlertFired: Sendable, Equatable {
    public var day: CivilDate
    /// "actual" or "forecast".
    public var kind: String
    public var threshold: Decimal
    public var detail: String
}

/// What Azure OpenAI cost by model, where the source has meter detail.
public struct ModelSpend: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var model: String
        public var amount: Decimal
    }

    public var lines: [Line]
    public var note: String
}

/// How far the figures can be trusted.
public struct DataQuality: Sendable, Equatable {
    public var latestDataDay: CivilDate?
    public var latestCompleteDay: CivilDate
    public var rowsRead: Int
    /// The first rows skipped, described; `skippedCount` counts them all.
    public var skipped: [String]
    public var skippedCount: Int
    public var otherProviders: [(provider: String, rows: Int, amount: Decimal)]
    public var creditsApplied: Decimal
    /// Today, or the day a report is rerun as of: the first day not complete.
    public var firstIncompleteDay: CivilDate
    /// Azure rows dated on or after it: in no figure.
    public var rowsAfterLastCompleteDay: Int
    /// Their spend, credit rows aside.
    public var amountAfterLastCompleteDay: Decimal
    public var exchangeRates: [(currency: String, rate: Decimal)]
    public var notes: [String]

    public static func == (a: DataQuality, b: DataQuality) -> Bool {
        a.latestDataDay == b.latestDataDay && a.latestCompleteDay == b.latestCompleteDay && a.rowsRead == b.rowsRead
            && a.skipped == b.skipped && a.skippedCount == b.skippedCount
            && a.otherProviders.map(\.provider) == b.otherProviders.map(\.provider)
            && a.otherProviders.map(\.amount) == b.otherProviders.map(\.amount) && a.creditsApplied == b.creditsApplied
            && a.firstIncompleteDay == b.firstIncompleteDay && a.rowsAfterLastCompleteDay == b.rowsAfterLastCompleteDay
            && a.amountAfterLastCompleteDay == b.amountAfterLastCompleteDay
            && a.notes == b.notes && a.exchangeRates.map(\.rate) == b.exchangeRates.map(\.rate)
    }
}
