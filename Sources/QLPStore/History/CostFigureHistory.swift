import Foundation
import GRDB
import QLPCore

/// The budget's headline figures at one moment: what the month has cost so
/// far and how much of the credit is used. A row of these every few minutes
/// is the budget over time, kept across restarts.
public struct CostFigures: Sendable, Equatable {
    public var scope: String
    public var at: Date
    /// The billing month the month-to-date figure belongs to (its first day).
    public var month: CivilDate
    public var monthToDate: Decimal
    public var creditUsed: Decimal
    public var currency: Currency

    public init(scope: String, at: Date, month: CivilDate, monthToDate: Decimal, creditUsed: Decimal, currency: Currency) {
        self.scope = scope
        self.at = at
        self.month = month
        self.monthToDate = monthToDate
        self.creditUsed = creditUsed
        self.currency = currency
    }
}

extension SQLiteSeriesHistory {
    /// Keeps `figures` unless a row for its scope was kept less than
    /// `HistoryRetention.costFigureSpacing` ago.
    /// - Returns: whether a row was written.
    @discardableResult
    public func recordCostFigures(_ figures: CostFigures) throws(StoreError) -> Bool {
        guard costFiguresDue(scope: figures.scope, at: figures.at) else { return false }
        guard let writer else { return false }
        do {
            try writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO cost_figures (scope, at, month, month_to_date, credit_used, currency) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT(scope, at) DO UPDATE SET month = excluded.month, month_to_date = excluded.month_to_date,
                        credit_used = excluded.credit_used, currency = excluded.currency
                        """,
                    arguments: [
                        figures.scope, figures.at.timeIntervalSince1970, figures.month.yyyymmdd,
                        NSDecimalNumber(decimal: figures.monthToDate).stringValue,
                        NSDecimalNumber(decimal: figures.creditUsed).stringValue, figures.currency.code,
                    ])
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record cost figures: \(error)")
        }
        return true
    }

    /// A scope's kept figures since `since`, oldest first.
    public func costFigures(scope: String, since: Date) throws(StoreError) -> [CostFigures] {
        guard let writer else { return [] }
        do {
            return try writer.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT at, month, month_to_date, credit_used, currency FROM cost_figures WHERE scope = ? AND at >= ? ORDER BY at
                        """, arguments: [scope, since.timeIntervalSince1970])
                return try rows.map { row throws(StoreError) in
                    guard let month = CivilDate(yyyymmdd: row["month"]),
                        let monthToDate = Decimal(string: row["month_to_date"]),
                        let creditUsed = Decimal(string: row["credit_used"])
                    else {
                        throw StoreError(path: path, detail: "a stored cost figures row is corrupt (at \(row["at"] ?? "?"))")
                    }
                    return CostFigures(
                        scope: scope, at: Date(timeIntervalSince1970: row["at"]), month: month, monthToDate: monthToDate,
                        creditUsed: creditUsed, currency: Currency(code: row["currency"]))
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, detail: "cannot read cost figures: \(error)")
        }
    }
}
