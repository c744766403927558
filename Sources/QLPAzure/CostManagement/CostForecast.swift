import Foundation
import QLPCore

/// Azure's forecast for a period: actual cost for the days that have passed,
/// Azure's model for the rest. Labelled as Azure's wherever shown: its
/// formula is not published, so qlp never presents it as its own.
public struct CostForecast: Sendable, Equatable {
    public var days: DayRange
    public var actual: Decimal
    public var forecast: Decimal
    public var currency: Currency?

    public var total: Decimal { actual + forecast }
}

extension CostQueryDefinition {
    /// The forecast request: daily totals (no grouping: Azure forecasts totals only),
    /// with actual cost for past days.
    public static func forecast(from: CivilDate, to: CivilDate) -> CostQueryDefinition {
        var definition = daily(from: from, to: to, grouping: [])
        definition.includeActualCost = true
        definition.includeFreshPartialCost = false
        return definition
    }
}

extension CostQueryResult {
    /// Sums the rows of a forecast answer by CostStatus.
    public func forecastTotals(days: DayRange) throws(ShapeError) -> CostForecast {
        guard let cost = columnIndex("Cost", "PreTaxCost", "CostUSD") else { throw ShapeError(description: "no cost column") }
        guard let status = columnIndex("CostStatus") else { throw ShapeError(description: "no CostStatus column") }
        let currencyColumn = columnIndex("Currency")
        var actual: Decimal = 0
        var forecast: Decimal = 0
        var currency: Currency?
        for (i, row) in rows.enumerated() {
            guard row.count == columns.count, case .number(let amount) = row[cost], case .string(let kind) = row[status] else {
                throw ShapeError(description: "row \(i + 1) is not a cost and a CostStatus")
            }
            if kind.caseInsensitiveCompare("Actual") == .orderedSame { actual += amount } else { forecast += amount }
            if let currencyColumn, case .string(let code) = row[currencyColumn] { currency = Currency(code: code) }
        }
        return CostForecast(days: days, actual: actual, forecast: forecast, currency: currency)
    }
}
