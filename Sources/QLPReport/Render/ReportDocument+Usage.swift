import Foundation
import QLPCore

/// The sections read from the gateway's usage ledger, shared by the terminal
/// table and Markdown.
extension ReportDocument {
    static func usage(_ r: FinanceReport, _ t: ReportText) -> [Section] {
        guard r.hasUsage else {
            // Said, not shown as zeros: no ledger is not "routing saved nothing".
            return [
                Section(
                    title: "Routing savings",
                    before: [
                        "Not computed: \(r.usageNote).",
                        "Spend by key and by route, and the ledger against the invoice, need the same ledger.",
                    ])
            ]
        }
        return [savings(r, t), keys(r, t), routes(r, t), ledger(r, t)].compactMap { $0 }
    }

    static func savings(_ r: FinanceReport, _ t: ReportText) -> Section? {
        guard let s = r.routingSavings else { return nil }
        var before: [String]
        if s.routes.isEmpty {
            before = ["No requests on a route with a baseline in \(r.usageNote) over these days."]
        } else {
            let share = s.counterfactual != 0 ? " (\(t.percent(s.saving / s.counterfactual)) of the counterfactual)" : ""
            before = [
                "Routing saved \(t.amount(s.saving))\(share): actual model cost \(t.amount(s.actual)) against "
                    + "\(t.amount(s.counterfactual)) had every request gone to its route's baseline target; "
                    + "\(t.count(s.requests)) request\(s.requests == 1 ? "" : "s") from \(r.usageNote)."
            ]
        }
        if s.unknownUsageRequests > 0 {
            before.append(
                "Left out: \(t.count(s.unknownUsageRequests)) request\(s.unknownUsageRequests == 1 ? "" : "s") "
                    + "answered without token counts.")
        }
        var table: TextTable?
        if !s.routes.isEmpty {
            var rows = TextTable(
                ["Route", "Baseline", "Requests", "Actual", "Counterfactual", "Saving"],
                [.left, .left, .right, .right, .right, .right])
            for line in s.routes {
                let how = line.baseline.choice == .configured ? "configured" : "most expensive"
                rows.add([
                    line.route, "\(line.baseline.target) (\(how))", t.count(line.requests), t.amount(line.actual),
                    t.amount(line.counterfactual), t.amount(line.saving),
                ])
            }
            rows.add(["Total", "", t.count(s.requests), t.amount(s.actual), t.amount(s.counterfactual), t.amount(s.saving)])
            table = rows
        }
        return Section(title: "Routing savings", before: before, table: table, after: ["Method: \(s.method)"])
    }

    static func keys(_ r: FinanceReport, _ t: ReportText) -> Section? {
        guard let keys = r.keySpend else { return nil }
        guard !keys.isEmpty else { return Section(title: "Spend by key", before: ["No requests in \(r.usageNote) over these days."]) }
        var table = TextTable(
            ["Key", "Requests", "Tokens in", "Tokens out", "Cost", t.comparisonNames.previous],
            [.left, .right, .right, .right, .right, .right])
        for k in keys {
            table.add([
                k.name, t.count(k.requests), t.count(k.inputTokens), t.count(k.outputTokens), t.amount(k.cost),
                t.amount(k.previousCost),
            ])
        }
        return Section(title: "Spend by key", table: table, after: spendNotes(keys, t))
    }

    static func routes(_ r: FinanceReport, _ t: ReportText) -> Section? {
        guard let routes = r.routeSpend else { return nil }
        guard !routes.isEmpty else { return Section(title: "Spend by route", before: ["No requests in \(r.usageNote) over these days."]) }
        var table = TextTable(
            ["Route", "Target", "Requests", "Tokens in", "Tokens out", "Cost", t.comparisonNames.previous],
            [.left, .left, .right, .right, .right, .right, .right])
        func add(_ route: String, _ target: String, _ u: UsageSpend) {
            table.add([
                route, target, t.count(u.requests), t.count(u.inputTokens), t.count(u.outputTokens), t.amount(u.cost),
                t.amount(u.previousCost),
            ])
        }
        for route in routes {
            add(route.total.name, "(all)", route.total)
            for target in route.targets { add(route.total.name, target.name.isEmpty ? "(none tried)" : target.name, target) }
        }
        return Section(title: "Spend by route", table: table, after: spendNotes(routes.map(\.total), t))
    }

    static func spendNotes(_ lines: [UsageSpend], _ t: ReportText) -> [String] {
        let unknown = lines.reduce(0) { $0 + $1.unknownUsageRequests }
        var notes = ["Cost is the usage ledger's: tokens at the prices in routing.targets of the config."]
        if unknown > 0 {
            notes.append(
                "\(t.count(unknown)) request\(unknown == 1 ? " was" : "s were") answered without token counts: "
                    + "counted in Requests, not in tokens or cost.")
        }
        return notes
    }

    static func ledger(_ r: FinanceReport, _ t: ReportText) -> Section? {
        guard let l = r.ledgerVersusInvoice else { return nil }
        var table = TextTable(["Azure OpenAI, \(t.span(l.days))", "Amount"], [.left, .right])
        table.add(["Usage ledger, Azure targets", t.amount(l.ledgerAzure)])
        table.add(["Cost Management", t.amount(l.invoice)])
        table.add(["Difference (Cost Management minus ledger)", t.signed(l.difference)])
        table.add(["Usage ledger, local models (not billed by Azure)", t.amount(l.ledgerOther)])
        return Section(title: "Usage ledger against the invoice", table: table, after: [l.explanation])
    }
}
