import Foundation
import QLPCore

/// Which days a report reads, and what it says about days it cannot read.
extension FinanceReportBuilder {
    /// The period's complete days and the previous days they are compared
    /// with (ReportWindow); a period with no complete day, or none inside the
    /// source's data, is refused rather than reported as nothing.
    func days(coverage: DayRange?) throws(ReportError) -> (current: DayRange, previous: DayRange) {
        let window = ReportWindow(period: period, today: today)
        guard let current = window.comparedDays, let previous = window.previousComparedDays else {
            throw .periodNotStarted(period: period, today: today, data: coverage)
        }
        // A source with no rows at all gets its report of nothing: the
        // Data quality section says so, and there is no range to name.
        if let coverage, current.clamped(to: coverage) == nil {
            throw .noDataInPeriod(period: period, days: current, data: coverage)
        }
        return (current, previous)
    }

    /// A report rerun as of a day before the one it is generated on (--as-of).
    var isRerun: Bool {
        today < CivilDate(generatedAt, in: TimeZone(identifier: plan.billingTimeZone) ?? TimeZone(identifier: "UTC")!)
    }

    func coverageNotes(_ coverage: DayRange?, previousDays: DayRange) -> [String] {
        guard let coverage else { return ["The source has no Azure cost rows before \(today): every figure is zero."] }
        var notes: [String] = []
        if coverage.first > previousDays.first {
            notes.append(
                "The source has no rows before \(coverage.first), so the previous days compared (from \(previousDays.first)) "
                    + "are incomplete: their changes overstate growth.")
        }
        return notes
    }
}

extension ReportAggregates {
    /// The days from the source's first Azure row to its last before
    /// `before`: the days it has data for.
    func azureDays(before day: CivilDate) -> DayRange? {
        let days = azureRowsByDay.keys.filter { $0 < day }
        guard let first = days.min(), let last = days.max() else { return nil }
        return DayRange(first, last)
    }

    /// Azure rows after the last complete day, and their spend (credit rows
    /// aside): counted, never summed into a figure.
    func after(lastComplete: CivilDate) -> (rows: Int, amount: Decimal) {
        let rows = azureRowsByDay.reduce(0) { $0 + ($1.key > lastComplete ? $1.value : 0) }
        var amount: Decimal = 0
        for series in services.values {
            for day in series.days where day > lastComplete { amount += series.amount(on: day) }
        }
        return (rows, amount)
    }
}
