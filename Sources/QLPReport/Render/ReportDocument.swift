import Foundation
import QLPCore

/// The report as sections of prose and tables, before it is written as a
/// terminal table or Markdown (the two share every word).
struct ReportDocument {
    struct Section {
        var title: String
        var before: [String] = []
        var table: TextTable?
        var after: [String] = []
    }

    var title: String
    var intro: [String]
    var sections: [Section]

    init(_ report: FinanceReport, money: MoneyFormat = .standard) {
        let t = ReportText(report, money: money)
        title = "QuantumLayer Platform spend, \(t.periodTitle)"
        intro =
            [
                "Figures as of the start of \(t.date(report.asOf)) (the last complete day is \(t.date(report.quality.latestCompleteDay))), "
                    + "in \(report.currency.code), \(report.basis.rawValue) cost, from \(report.source)."
            ] + [t.progress].compactMap { $0 }
        sections = [
            Self.credits(report, t), Self.monthly(report, t),
            Self.comparison("By service", report.services, t),
        ]
        if let groups = report.resourceGroups { sections.append(Self.comparison("By resource group", groups, t)) }
        if let tags = report.tags { sections.append(Self.comparison("By tag \(report.tagKey)", tags, t)) }
        sections += [Self.anomalies(report, t), Self.alerts(report, t), Self.models(report, t)]
        sections += Self.usage(report, t) + [Self.quality(report, t)]
    }

    static func credits(_ r: FinanceReport, _ t: ReportText) -> Section {
        var table = TextTable(
            ["Bucket", "Allocation", "Used", "Used %", "Remaining", "Burn/day", "Needed/day", "Runs out"],
            [.left, .right, .right, .right, .right, .right, .right, .left])
        for line in r.credits + [r.creditTotal] {
            let fraction = line.allocation > 0 ? line.used / line.allocation : 0
            table.add([
                line.key == "total" ? "Total" : line.label, t.amount(line.allocation), t.amount(line.used), t.percent(fraction),
                t.amount(line.remaining), line.burnRate.map(t.amount) ?? "-", line.requiredRate.map(t.amount) ?? "-",
                t.exhaustion(line),
            ])
        }
        var after = [
            "Unmapped spend (counted in the total, in no bucket): \(t.amount(r.unmapped))"
                + (r.unmappedServices.isEmpty ? "." : " from \(r.unmappedServices.joined(separator: ", ")).")
        ]
        let burnDays = r.creditTotal.burnDays
        after.append(
            "Burn/day is the average of the last \(burnDays) complete day\(burnDays == 1 ? "" : "s"); "
                + "Needed/day is what could be spent each day to \(t.date(r.creditPeriod.last)) and still last.")
        if let use = r.atlas.use {
            var line =
                "MongoDB Atlas (\(t.amount(use.grant.amount))), as of \(t.date(use.asOf)): used \(t.amount(use.used)) (\(t.percent(use.fractionUsed)), "
                + "US$\(use.usedUSD.rounded(scale: 2)) at \(use.rate)), remaining \(t.amount(use.remaining))"
            switch use.exhaustion {
            case .exhausted(let day): line += ", used up on \(t.date(day))"
            case .projected(let day, let before): line += before ? ", runs out \(t.date(day))" : ", lasts past its expiry"
            default: break
            }
            after.append(line + ".")
        } else {
            after.append("MongoDB Atlas" + (r.atlas.allocation.map { " (\(t.amount($0)))" } ?? "") + ": \(r.atlas.note).")
        }
        return Section(
            title: "Credits: \(t.amount(r.creditTotal.allocation)), \(t.date(r.creditPeriod.first)) to \(t.date(r.creditPeriod.last))",
            table: table, after: after)
    }

    static func monthly(_ r: FinanceReport, _ t: ReportText) -> Section {
        let m = r.monthly
        let fraction = m.amount > 0 ? m.spentToDate / m.amount : 0
        var table = TextTable(["Alert", "Reached on"], [.left, .left])
        for c in m.crossings { table.add([t.threshold(c.threshold), c.day.map(t.date) ?? "not reached"]) }
        var after: [String] = []
        if let p = m.linearProjection {
            after.append(
                "\(MonthEndEstimate.linearProjection.title) of the month-end total (from \(p.basisDays) complete day\(p.basisDays == 1 ? "" : "s")): "
                    + "\(t.amount(p.amount)) (\(t.percent(m.amount > 0 ? p.amount / m.amount : 0)) of the budget).")
        } else {
            after.append(
                "\(MonthEndEstimate.linearProjection.title) of the month-end total: not shown until \(MonthEndProjection.minimumBasisDays) complete days of the month."
            )
        }
        after.append(
            "\(MonthEndEstimate.azureForecast.title) of the month-end total: " + (m.azureForecast.map(t.amount) ?? m.forecastNote) + ".")
        return Section(
            title: "Monthly budget: \(t.monthName(m.month))",
            before: ["Month to date \(t.amount(m.spentToDate)) of \(t.amount(m.amount)) (\(t.percent(fraction))): \(t.state(m.state))."],
            table: table, after: after)
    }

    static func comparison(_ title: String, _ c: Comparison, _ t: ReportText) -> Section {
        let names = t.comparisonNames
        var table = TextTable(["Name", names.current, names.previous, "Change", "Change %"], [.left, .right, .right, .right, .right])
        for line in c.lines {
            table.add([line.name, t.amount(line.current), t.amount(line.previous), t.signed(line.change), t.change(line)])
        }
        table.add([
            "Total", t.amount(c.currentTotal), t.amount(c.previousTotal), t.signed(c.currentTotal - c.previousTotal),
            t.change(.init(name: "", current: c.currentTotal, previous: c.previousTotal)),
        ])
        var after: [String] = []
        func mover(_ l: Comparison.Line) -> String { "\(l.name) \(t.signed(l.change)) (\(t.change(l)))" }
        if !c.risers.isEmpty { after.append("Biggest increases: " + c.risers.map(mover).joined(separator: "; ") + ".") }
        if !c.fallers.isEmpty { after.append("Biggest decreases: " + c.fallers.map(mover).joined(separator: "; ") + ".") }
        return Section(title: title, table: table, after: after)
    }

    static func anomalies(_ r: FinanceReport, _ t: ReportText) -> Section {
        guard !r.anomalies.isEmpty else {
            return Section(
                title: "Anomalies",
                before: [
                    "None found (new cost, removed cost, a daily jump over 75% and "
                        + "\(t.amount(2)), seven days of steady growth; complete days only)."
                ])
        }
        var table = TextTable(["Day", "Rule", "Where", "Amount", "Detail"], [.left, .left, .left, .right, .left])
        for a in r.anomalies { table.add([t.date(a.day), a.kind.rawValue, "\(a.dimension): \(a.name)", t.amount(a.amount), a.detail]) }
        return Section(
            title: "Anomalies", table: table,
            after: [
                "Rules as azure-cost-cli's: a new cost over \(t.amount(2)), a removed cost, a daily jump over 75% and "
                    + "\(t.amount(2)), seven days of steady growth; complete days only."
            ])
    }

    static func alerts(_ r: FinanceReport, _ t: ReportText) -> Section {
        guard !r.alertsFired.isEmpty else { return Section(title: "Budget alerts fired", before: ["None in the period."]) }
        var table = TextTable(["Day", "Kind", "Threshold", "Detail"], [.left, .left, .right, .left])
        for a in r.alertsFired { table.add([t.date(a.day), a.kind, t.threshold(a.threshold), a.detail]) }
        return Section(title: "Budget alerts fired", table: table)
    }

    static func models(_ r: FinanceReport, _ t: ReportText) -> Section {
        var table = TextTable(["Model", "Spend"], [.left, .right])
        for line in r.modelSpend.lines { table.add([line.model, t.amount(line.amount)]) }
        return Section(
            title: "Model spend", table: table, after: [r.modelSpend.note.prefix(1).uppercased() + r.modelSpend.note.dropFirst() + "."])
    }

    static func quality(_ r: FinanceReport, _ t: ReportText) -> Section {
        let q = r.quality
        var lines = [
            "Latest data: \(q.latestDataDay.map(t.date) ?? "none"); latest complete day: \(t.date(q.latestCompleteDay)).",
            "Rows read: \(q.rowsRead); rows skipped: \(q.skippedCount).",
        ]
        lines += q.skipped.prefix(20).map { "Skipped: \($0)" }
        if q.skippedCount > 20 { lines.append("... and \(q.skippedCount - 20) more skipped rows.") }
        for other in q.otherProviders {
            lines.append("Not Azure, left out of every figure: \(other.provider), \(other.rows) rows, \(t.amount(other.amount)).")
        }
        if q.rowsAfterLastCompleteDay > 0 {
            let n = q.rowsAfterLastCompleteDay
            lines.append(
                "Left out of every figure: \(n) row\(n == 1 ? "" : "s") dated \(t.date(q.firstIncompleteDay)) or later "
                    + "(\(t.amount(q.amountAfterLastCompleteDay))): days not complete as of the report.")
        }
        if q.creditsApplied != 0 { lines.append("Credit rows (shown apart, not netted against burn): \(t.amount(q.creditsApplied)).") }
        lines += q.notes
        return Section(title: "Data quality", before: lines)
    }
}
