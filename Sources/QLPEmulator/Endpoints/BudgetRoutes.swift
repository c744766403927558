import Foundation
import QLPCore

/// GET {scope}/providers/Microsoft.Consumption/budgets[/{name}] and the same
/// under Microsoft.CostManagement: the world's budgets, with current spend
/// equal to the sum of the cost query's rows for the month so far, and
/// forecast spend from the forecast model when a Forecasted alert is set
/// (as Azure does: "only provided if the budget contains a forecast alert").
struct BudgetsRoute: EmulatorRoute {
    let provider: String
    let endpoint: EmulatedEndpoint
    let authentication = RouteAuthentication.bearer

    static let consumption = BudgetsRoute(provider: "microsoft.consumption", endpoint: .consumptionBudgets)
    static let costManagement = BudgetsRoute(provider: "microsoft.costmanagement", endpoint: .costBudgets)

    func matches(_ r: EmulatedRequest) -> Bool {
        guard r.method == .get, r.lower.first == "subscriptions", let p = r.providersIndex else { return false }
        return (r.lower.count == p + 3 || r.lower.count == p + 4) && r.lower[p + 1] == provider && r.lower[p + 2] == "budgets"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        if let refused = ARMChecks.validate(r, context: context) { return refused }
        let scope = r.scope ?? ""
        let world = context.configuration.world
        let typeName = provider == "microsoft.consumption" ? "Microsoft.Consumption/budgets" : "Microsoft.CostManagement/budgets"
        let providerName = provider == "microsoft.consumption" ? "Microsoft.Consumption" : "Microsoft.CostManagement"
        let now = context.now
        let today = world.today(at: now)
        let monthToDate = world.total(from: today.firstOfMonth, to: today, at: now)
        let forecast = ForecastEndpoint.monthTotal(world: world, month: today, at: now)
        func body(_ budget: EmulatedBudget) -> JSONText {
            var properties: [(String, JSONText)] = [
                ("category", .string("Cost")),
                ("amount", .number(budget.amount)),
                ("timeGrain", .string(budget.timeGrain)),
                (
                    "timePeriod",
                    .object([
                        ("startDate", .string("\(world.firstDay.firstOfMonth.iso8601)T00:00:00Z")),
                        ("endDate", .string("\(world.firstDay.firstOfMonth.adding(months: 120).iso8601)T00:00:00Z")),
                    ])
                ),
                ("filter", .object([])),
                ("currentSpend", .object([("amount", .number(monthToDate)), ("unit", .string(world.currency.code))])),
            ]
            if budget.notifications.contains(where: { $0.thresholdType == "Forecasted" }) {
                properties.append(("forecastSpend", .object([("amount", .number(forecast)), ("unit", .string(world.currency.code))])))
            }
            properties.append(
                (
                    "notifications",
                    .object(
                        budget.notifications.map { n in
                            (
                                n.name,
                                .object([
                                    ("enabled", .bool(true)), ("operator", .string(n.operator)), ("threshold", .number(n.threshold)),
                                    ("contactEmails", .array([.string("finance@quantumlayer.example")])),
                                    ("contactRoles", .array([.string("Owner")])), ("thresholdType", .string(n.thresholdType)),
                                ])
                            )
                        })
                ))
            let name = context.names.reported(budget.name)
            return .object([
                ("id", .string("\(scope)/providers/\(providerName)/budgets/\(name)")),
                ("name", .string(name)),
                ("type", .string(typeName)),
                ("eTag", .string("\"\(Self.stableTag(budget))\"")),
                ("properties", .object(properties)),
            ])
        }
        let p = r.providersIndex!
        if r.lower.count == p + 4 {
            let name = r.segments[p + 3]
            guard let budget = world.budgets.first(where: { context.names.reported($0.name).caseInsensitiveCompare(name) == .orderedSame })
            else {
                return EmulatorReply.armError(status: 404, code: "NotFound", message: "Budget '\(name)' was not found.")
            }
            return EmulatorReply.json(body(budget))
        }
        return EmulatorReply.json(.object([("value", .array(world.budgets.map(body)))]))
    }
}

/// POST {scope}/providers/Microsoft.CostManagement/forecast
struct ForecastRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.costForecast
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        guard r.method == .post, r.lower.first == "subscriptions", let p = r.providersIndex else { return false }
        return r.lower.count == p + 3 && r.lower[p + 1] == "microsoft.costmanagement" && r.lower[p + 2] == "forecast"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        if let refused = ARMChecks.validate(r, context: context) { return refused }
        return ForecastEndpoint(configuration: context.configuration).respond(scope: r.scope ?? "", body: r.body)
    }
}

extension BudgetsRoute {
    /// An eTag that is the same on every run (Swift's hashValue is not).
    static func stableTag(_ budget: EmulatedBudget) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in "\(budget.name)|\(budget.amount)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}

extension EmulatorRoutes {
    static let budgetsAndForecast: [any EmulatorRoute] = [BudgetsRoute.consumption, BudgetsRoute.costManagement, ForecastRoute()]
}
