import Foundation
import QLPCore

/// The rows of a source as the report reads them, summed as they arrive: a
/// cost file is streamed into one (`CostFileImporter.read`), so no row is
/// kept. What it holds grows with the distinct services, resource groups,
/// tag values and days of the source, never with its number of rows.
public struct ReportRows: Sendable {
    var aggregates: ReportAggregates
    /// The currencies of the rows, in the order first seen.
    private(set) var currencies: [String] = []

    init(aggregates: ReportAggregates) {
        self.aggregates = aggregates
    }

    public mutating func add(_ record: CostRecord) {
        let code = record.currency.code
        if currencies.last != code && !currencies.contains(code) { currencies.append(code) }
        aggregates.add(record)
    }
}

extension FinanceReportBuilder {
    /// Empty sums for this report's plan and period, to stream rows into and
    /// then `build(_:rows:)`.
    public func rows() -> ReportRows {
        ReportRows(
            aggregates: ReportAggregates(
                budget: plan.currency, rates: plan.exchangeRates, plan: plan,
                tagKey: plan.reportTag, modelDays: completeDays))
    }

    /// The period's days up to the last complete one (nil when none is).
    var completeDays: DayRange? {
        DayRange(period.days.first, min(period.days.last, asOf.adding(days: -1)))
    }
}
