import Foundation
import QLPCore

/// The report's sections from the gateway's usage ledger: routing savings,
/// spend by key and by route, and the ledger beside the invoice. They read
/// the same compared days as every other section.
extension FinanceReportBuilder {
    struct UsageSections {
        var savings: RoutingSavings?
        var keys: [UsageSpend]?
        var routes: [RouteSpend]?
        var ledgerVersusInvoice: LedgerVersusInvoice?
        /// Where the figures come from, or why there are none.
        var note: String
        var isRead: Bool { keys != nil }
    }

    /// - Parameter invoice: Cost Management's Azure OpenAI spend over `days`.
    func usageSections(_ input: ReportInput, days: DayRange, previousDays: DayRange, invoice: Decimal) -> UsageSections {
        guard let usage = input.usage else {
            // Never zeros: a report without the ledger says it has none.
            return UsageSections(note: input.usageNote ?? "no usage ledger was given to the report")
        }
        // A rollup's hour (UTC) belongs to the billing day it starts on; with
        // a zone whole hours from UTC, as the UK's, that is exact.
        let zone = TimeZone(identifier: plan.billingTimeZone) ?? TimeZone(identifier: "UTC")!
        var current: [UsageRollup] = []
        var previous: [UsageRollup] = []
        for rollup in usage.rollups {
            let day = CivilDate(rollup.hour, in: zone)
            if days.contains(day) {
                current.append(rollup)
            } else if previousDays.contains(day) {
                previous.append(rollup)
            }
        }
        let routes = Dictionary(grouping: current, by: \.route)
        let previousRoutes = Dictionary(grouping: previous, by: \.route)
        let routeSpend = Set(routes.keys).union(previousRoutes.keys).map { route in
            let targets = Self.spend(routes[route] ?? [], previous: previousRoutes[route] ?? [], by: \.target)
            return RouteSpend(total: Self.spend(name: route, routes[route] ?? [], previous: previousRoutes[route] ?? []), targets: targets)
        }.sorted { Self.costlier($0.total, $1.total) }
        return UsageSections(
            savings: Self.savings(current, baselines: usage.baselines, days: days, zone: plan.billingTimeZone),
            keys: Self.spend(current, previous: previous, by: \.keyName), routes: routeSpend,
            ledgerVersusInvoice: Self.ledgerVersusInvoice(current, azureTargets: usage.azureTargets, invoice: invoice, days: days),
            note: usage.source)
    }

    /// Each route's ledger cost beside its tokens at the baseline's prices.
    static func savings(_ rollups: [UsageRollup], baselines: [String: SavingsBaseline], days: DayRange, zone: String) -> RoutingSavings {
        var lines: [String: RoutingSavings.Route] = [:]
        var unpriced: Set<String> = []
        for rollup in rollups {
            guard let baseline = baselines[rollup.route] else {
                unpriced.insert(rollup.route)
                continue
            }
            var line =
                lines[rollup.route]
                ?? RoutingSavings.Route(
                    route: rollup.route, baseline: baseline, requests: 0, unknownUsageRequests: 0, inputTokens: 0, outputTokens: 0,
                    actual: 0, counterfactual: 0)
            line.requests += rollup.requests
            line.unknownUsageRequests += rollup.unknownUsage
            line.inputTokens += rollup.inputTokens
            line.outputTokens += rollup.outputTokens
            line.actual += rollup.cost
            lines[rollup.route] = line
        }
        let routes = lines.values.map { line in
            var priced = line
            priced.counterfactual = line.baseline.cost(of: TokenCounts(input: line.inputTokens, output: line.outputTokens))
            return priced
        }.sorted { $0.route < $1.route }
        let unknown = routes.reduce(0) { $0 + $1.unknownUsageRequests }
        let left = unpriced.sorted()
        let served = routes.map(\.route).joined(separator: ", ")
        var method =
            "Counterfactual: each route's input tokens times its baseline target's input price plus its output tokens "
            + "times its output price, divided by 1,000, at the prices per 1,000 tokens in routing.targets of the config (the "
            + "baseline is the route's most expensive target unless routing.savings_baseline names one); actual: the cost the "
            + "usage ledger recorded for the same requests, their tokens at the prices of the targets that answered; saving: "
            + "counterfactual minus actual. Over \(days.first) to \(days.last) (\(zone))"
            + (served.isEmpty ? ", with no requests on a route with a baseline" : " on route\(routes.count == 1 ? "" : "s") \(served)")
            + "; left out of both figures: \(unknown) request\(unknown == 1 ? "" : "s") answered without token counts"
        if !left.isEmpty { method += ", and route\(left.count == 1 ? "" : "s") with no baseline (\(left.joined(separator: ", ")))" }
        return RoutingSavings(
            routes: routes, actual: routes.reduce(0) { $0 + $1.actual }, counterfactual: routes.reduce(0) { $0 + $1.counterfactual },
            requests: routes.reduce(0) { $0 + $1.requests }, unknownUsageRequests: unknown, routesWithoutBaseline: left,
            method: method + ".")
    }

    /// Usage by one dimension (key, target), costliest first; a name with
    /// requests in either span gets a line.
    static func spend(_ rollups: [UsageRollup], previous: [UsageRollup], by name: (UsageRollup) -> String) -> [UsageSpend] {
        let now = Dictionary(grouping: rollups, by: name)
        let before = Dictionary(grouping: previous, by: name)
        return Set(now.keys).union(before.keys).map { spend(name: $0, now[$0] ?? [], previous: before[$0] ?? []) }
            .sorted(by: costlier)
    }

    static func spend(name: String, _ rollups: [UsageRollup], previous: [UsageRollup]) -> UsageSpend {
        var line = UsageSpend(name: name)
        for r in rollups {
            line.requests += r.requests
            line.unknownUsageRequests += r.unknownUsage
            line.inputTokens += r.inputTokens
            line.outputTokens += r.outputTokens
            line.cost += r.cost
        }
        line.previousCost = previous.reduce(0) { $0 + $1.cost }
        return line
    }

    /// Cost descending; then previous cost, requests and name, so equal costs keep one order.
    static func costlier(_ a: UsageSpend, _ b: UsageSpend) -> Bool {
        if a.cost != b.cost { return a.cost > b.cost }
        if a.previousCost != b.previousCost { return a.previousCost > b.previousCost }
        if a.requests != b.requests { return a.requests > b.requests }
        return a.name < b.name
    }

    static func ledgerVersusInvoice(
        _ rollups: [UsageRollup], azureTargets: Set<String>, invoice: Decimal,
        days: DayRange
    ) -> LedgerVersusInvoice {
        var azure: Decimal = 0
        var other: Decimal = 0
        for rollup in rollups {
            if azureTargets.contains(rollup.target) { azure += rollup.cost } else { other += rollup.cost }
        }
        let explanation =
            "The ledger holds only requests through the qlp gateway, priced at routing.targets of the config; "
            + "Cost Management bills every Azure OpenAI call (other clients' included) at the invoice's prices, which may differ, "
            + "and can revise a day's figures for up to 72 hours. Local models (Ollama) are not billed by Azure, so their "
            + "ledger cost is kept out of the comparison."
        return LedgerVersusInvoice(days: days, ledgerAzure: azure, ledgerOther: other, invoice: invoice, explanation: explanation)
    }
}
