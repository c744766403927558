import Foundation
import QLPCore

/// Wording shared by every renderer, so the table, Markdown and CSV say the
/// same thing the same way.
struct ReportText {
    var report: FinanceReport
    var money: MoneyFormat

    init(_ report: FinanceReport, money: MoneyFormat = .standard) {
        self.report = report
        self.money = money
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let longMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    func date(_ d: CivilDate) -> String { "\(d.day) \(Self.months[d.month - 1]) \(d.year)" }
    func monthName(_ d: CivilDate) -> String { "\(Self.longMonths[d.month - 1]) \(d.year)" }
    func amount(_ value: Decimal) -> String { money.string(value, currency: report.currency) }
    func signed(_ value: Decimal) -> String {
        let pennies = value.rounded(scale: 2)
        return pennies > 0 ? "+" + amount(pennies) : amount(pennies)
    }
    func percent(_ fraction: Decimal) -> String { PercentFormat.string(fraction) }
    /// "12,345": a count with thousands separators.
    func count(_ n: Int) -> String { MoneyFormat(symbolOverride: "", fractionDigits: 0).string(Decimal(n), currency: report.currency) }

    /// "+45%", "-12%", "new".
    func change(_ line: Comparison.Line) -> String {
        guard let p = line.changePercent else { return line.current == 0 ? "-" : "new" }
        let rounded = p.rounded(scale: 0)
        return (rounded > 0 ? "+" : "") + NSDecimalNumber(decimal: rounded).stringValue + "%"
    }

    var periodTitle: String {
        let days = report.period.days
        let name =
            switch report.period {
            case .week(let w): "week \(w) (\(date(days.first)) to \(date(days.last)))"
            case .month: monthName(days.first)
            case .custom: "\(date(days.first)) to \(date(days.last))"
            }
        return report.isInProgress ? name + ", in progress" : name
    }

    /// "1 Dec 2026 to 3 Dec 2026", or the one day.
    func span(_ days: DayRange) -> String { days.count == 1 ? date(days.first) : "\(date(days.first)) to \(date(days.last))" }

    /// While the period runs, what its figures cover and what they are compared with.
    var progress: String? {
        guard report.isInProgress else { return nil }
        let n = report.comparedDays.count
        let previous = report.previousPeriod
        let previousName =
            switch previous {
            case .week(let w): "week \(w)"
            case .month: monthName(previous.days.first)
            case .custom: "the previous \(previous.days.count) days"
            }
        return
            "The \(report.period.kind == "custom" ? "period" : report.period.kind) is in progress: \(n) of its \(report.period.days.count) days "
            + "are complete (\(span(report.comparedDays))), compared with the same \(n == 1 ? "day" : "\(n) days") of \(previousName) "
            + "(\(span(report.previousComparedDays))), not with the whole of it."
    }

    var comparisonNames: (current: String, previous: String) {
        let progress = report.isInProgress
        return switch report.period {
        case .week: progress ? ("This week so far", "Same days last week") : ("This week", "Last week")
        case .month: progress ? ("This month so far", "Same days last month") : ("This month", "Last month")
        case .custom: progress ? ("This period so far", "Same days before") : ("This period", "Previous period")
        }
    }

    func exhaustion(_ line: CreditLine) -> String {
        switch line.exhaustion {
        case .exhausted(let day): "used up on \(date(day))"
        case .projected(let day, let beforeExpiry):
            beforeExpiry ? "\(date(day)), \(day.days(to: report.creditPeriod.last)) days before expiry" : "lasts past expiry"
        case .notAtCurrentRate: "no spend: lasts"
        case .unknown: "not enough data"
        }
    }

    func threshold(_ t: Decimal) -> String { NSDecimalNumber(decimal: t).stringValue + "%" }

    func state(_ s: ThresholdState) -> String {
        switch s {
        case .clear: "below the alert thresholds"
        case .crossed(let t): "past the \(threshold(t)) alert"
        case .exceeded: "over budget"
        }
    }
}
