import Foundation
import QLPCore

/// Cost Management's forecast, in the shape of Microsoft's SubscriptionForecast
/// example: daily rows with a CostStatus column, "Actual" for days that have
/// passed (when includeActualCost is true) and "Forecast" from today on.
/// Azure forecasts totals only: a grouping is refused.
struct ForecastEndpoint: Sendable {
    let configuration: EmulatorConfiguration

    func respond(scope: String, body: [UInt8]) -> EmulatedResponse {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let dataset = object["dataset"] as? [String: Any]
        else {
            return EmulatorReply.armError(
                status: 400, code: "BadRequest", message: "Invalid forecast definition, Dataset is invalid or not supplied.")
        }
        if let grouping = dataset["grouping"] as? [Any], !grouping.isEmpty {
            return EmulatorReply.armError(status: 400, code: "BadRequest", message: "Forecast does not support grouping.")
        }
        guard (object["timeframe"] as? String)?.lowercased() == "custom", let period = object["timePeriod"] as? [String: Any],
            let from = (period["from"] as? String).flatMap({ CivilDate(iso8601: $0.prefix(10)) }),
            let to = (period["to"] as? String).flatMap({ CivilDate(iso8601: $0.prefix(10)) }), let days = DayRange(from, to)
        else {
            return EmulatorReply.armError(
                status: 400, code: "BadRequest",
                message: "Invalid forecast definition: a Custom timeframe with timePeriod.from and timePeriod.to is required.")
        }
        let includeActual = object["includeActualCost"] as? Bool ?? false
        let now = configuration.clock()
        let world = configuration.world
        let today = world.today(at: now)
        var rows: [JSONText] = []
        for day in days {
            if day < today {
                guard includeActual else { continue }
                rows.append(
                    .array([
                        .number(world.total(from: day, to: day, at: now)), .number(day.yyyymmdd), .string("Actual"),
                        .string(world.currency.code),
                    ]))
            } else {
                rows.append(
                    .array([
                        .number(Self.expected(world: world, on: day)), .number(day.yyyymmdd), .string("Forecast"),
                        .string(world.currency.code),
                    ]))
            }
        }
        let id = UUID().uuidString.lowercased()
        return EmulatorReply.json(
            .object([
                ("id", .string("\(scope)/providers/Microsoft.CostManagement/query/\(id)")),
                ("name", .string(id)),
                ("type", .string("Microsoft.CostManagement/query")),
                (
                    "properties",
                    .object([
                        ("nextLink", .null),
                        (
                            "columns",
                            .array([
                                .object([("name", .string("Cost")), ("type", .string("Number"))]),
                                .object([("name", .string("UsageDate")), ("type", .string("Number"))]),
                                .object([("name", .string("CostStatus")), ("type", .string("String"))]),
                                .object([("name", .string("Currency")), ("type", .string("String"))]),
                            ])
                        ),
                        ("rows", .array(rows)),
                    ])
                ),
            ]))
    }

    /// The forecast model for one day, all services.
    static func expected(world: CostWorld, on day: CivilDate) -> Decimal {
        guard day >= world.firstDay else { return 0 }
        return world.services.indices.reduce(Decimal(0)) { $0 + world.expectedCost(serviceIndex: $1, on: day) }
    }

    /// Actual to yesterday plus the forecast from today to the month's end.
    static func monthTotal(world: CostWorld, month: CivilDate, at now: Date) -> Decimal {
        let today = world.today(at: now)
        var total: Decimal = 0
        for day in DayRange(month.firstOfMonth, month.lastOfMonth)! {
            total += day < today ? world.total(from: day, to: day, at: now) : expected(world: world, on: day)
        }
        return total
    }
}
