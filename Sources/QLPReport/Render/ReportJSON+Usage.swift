import Foundation
import QLPCore

/// The usage ledger's sections as JSON: null where the ledger was not read,
/// with `usage_ledger.note` saying why.
extension ReportJSON {
    static func usage(_ r: FinanceReport) -> [(String, JSONText)] {
        [
            ("usage_ledger", .object([("status", .string(r.hasUsage ? "read" : "not_read")), ("note", .string(r.usageNote))])),
            ("routing_savings", r.routingSavings.map(savings) ?? .null),
            ("key_spend", r.keySpend.map { .array($0.map(spend)) } ?? .null),
            (
                "route_spend",
                r.routeSpend.map { routes in
                    .array(
                        routes.map { route in
                            .object(
                                [("route", .string(route.total.name))] + members(spend(route.total)).dropFirst()
                                    + [("targets", .array(route.targets.map(spend)))])
                        })
                } ?? .null
            ),
            ("ledger_vs_invoice", r.ledgerVersusInvoice.map(ledger) ?? .null),
        ]
    }

    static func savings(_ s: RoutingSavings) -> JSONText {
        .object([
            ("actual", money(s.actual)),
            ("counterfactual", money(s.counterfactual)),
            ("saving", money(s.saving)),
            ("saving_percent", s.savingPercent.map { .number($0.rounded(scale: 2)) } ?? .null),
            ("requests", .number(s.requests)),
            ("unknown_usage_requests", .number(s.unknownUsageRequests)),
            ("routes_without_baseline", .array(s.routesWithoutBaseline.map { .string($0) })),
            ("method", .string(s.method)),
            (
                "routes",
                .array(
                    s.routes.map { line in
                        .object([
                            ("route", .string(line.route)),
                            (
                                "baseline",
                                .object([
                                    ("target", .string(line.baseline.target)), ("choice", .string(line.baseline.choice.rawValue)),
                                    ("input_per_1k", .number(line.baseline.prices.inputPer1K)),
                                    ("output_per_1k", .number(line.baseline.prices.outputPer1K)),
                                ])
                            ),
                            ("requests", .number(line.requests)),
                            ("unknown_usage_requests", .number(line.unknownUsageRequests)),
                            ("input_tokens", .number(line.inputTokens)),
                            ("output_tokens", .number(line.outputTokens)),
                            ("actual", money(line.actual)),
                            ("counterfactual", money(line.counterfactual)),
                            ("saving", money(line.saving)),
                        ])
                    })
            ),
        ])
    }

    /// A key's or a target's line: `name` first, the figures after it.
    static func spend(_ u: UsageSpend) -> JSONText {
        .object([
            ("name", .string(u.name)),
            ("requests", .number(u.requests)),
            ("unknown_usage_requests", .number(u.unknownUsageRequests)),
            ("input_tokens", .number(u.inputTokens)),
            ("output_tokens", .number(u.outputTokens)),
            ("cost", money(u.cost)),
            ("previous_cost", money(u.previousCost)),
        ])
    }

    static func ledger(_ l: LedgerVersusInvoice) -> JSONText {
        .object([
            ("first_day", day(l.days.first)),
            ("last_day", day(l.days.last)),
            ("ledger_azure", money(l.ledgerAzure)),
            ("ledger_other_targets", money(l.ledgerOther)),
            ("cost_management_azure_openai", money(l.invoice)),
            ("difference", money(l.difference)),
            ("explanation", .string(l.explanation)),
        ])
    }
}
