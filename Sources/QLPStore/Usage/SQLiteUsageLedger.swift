import Foundation
import GRDB
import QLPCore

/// The usage ledger in SQLite (WAL): a row per request, and the hourly
/// rollups per key × route × target updated in the same transaction, so the
/// two never disagree. Requests are pruned after `retention`; rollups are kept
/// for `rollupRetention` (the credit period and some).
///
/// Costs are stored as whole picounits (10⁻¹² of the budget currency):
/// exact for any price with up to nine decimals per 1,000 tokens, and
/// summable by SQLite, which has no decimal type.
public final class SQLiteUsageLedger: UsageLedger, Sendable {
    public let path: String
    public let retention: TimeInterval
    public let rollupRetention: TimeInterval
    let writer: any DatabaseWriter

    public static let defaultRetention: TimeInterval = 30 * 86_400
    public static let defaultRollupRetention: TimeInterval = 400 * 86_400

    public init(
        path: String, retention: TimeInterval = defaultRetention, rollupRetention: TimeInterval = defaultRollupRetention,
        now: Date = Date()
    ) throws(StoreError) {
        self.path = path
        self.retention = retention
        self.rollupRetention = rollupRetention
        writer = try SQLiteFile.open(path, label: "qlp.usage", migrator: Self.migrator, what: "the usage ledger")
        try prune(now: now)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-usage") { db in
            try db.create(table: "usage_request") { t in
                t.column("time", .double).notNull()
                t.column("key_name", .text).notNull()
                t.column("route", .text).notNull()
                t.column("target", .text).notNull()
                t.column("model", .text).notNull()
                t.column("input_tokens", .integer)
                t.column("output_tokens", .integer)
                t.column("cost_pico", .integer)
                t.column("latency_ms", .double).notNull()
                t.column("ttft_ms", .double)
                t.column("status", .integer).notNull()
                t.column("attempts", .integer).notNull()
            }
            try db.create(index: "usage_request_time", on: "usage_request", columns: ["time"])
            try db.create(table: "usage_hourly") { t in
                t.column("hour", .double).notNull()
                t.column("key_name", .text).notNull()
                t.column("route", .text).notNull()
                t.column("target", .text).notNull()
                t.column("requests", .integer).notNull()
                t.column("succeeded", .integer).notNull()
                t.column("unknown_usage", .integer).notNull()
                t.column("input_tokens", .integer).notNull()
                t.column("output_tokens", .integer).notNull()
                t.column("cost_pico", .integer).notNull()
                t.primaryKey(["hour", "key_name", "route", "target"])
            }
        }
        return migrator
    }

    public func append(_ records: [UsageRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        let rollups = UsageRollup.of(records)
        do {
            try writer.write { db in
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO usage_request (time, key_name, route, target, model, input_tokens, output_tokens, cost_pico,
                                                   latency_ms, ttft_ms, status, attempts)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for r in records {
                    try insert.execute(arguments: [
                        r.time.timeIntervalSince1970, r.keyName, r.route, r.target, r.model,
                        r.tokens?.input, r.tokens?.output, r.cost.map(Self.pico), r.latencyMilliseconds,
                        r.firstTokenMilliseconds, r.status, r.attempts,
                    ])
                }
                let upsert = try db.cachedStatement(
                    sql: """
                        INSERT INTO usage_hourly (hour, key_name, route, target, requests, succeeded, unknown_usage, input_tokens,
                                                  output_tokens, cost_pico)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (hour, key_name, route, target) DO UPDATE SET
                            requests = requests + excluded.requests, succeeded = succeeded + excluded.succeeded,
                            unknown_usage = unknown_usage + excluded.unknown_usage,
                            input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
                            cost_pico = cost_pico + excluded.cost_pico
                        """)
                for u in rollups {
                    try upsert.execute(arguments: [
                        u.hour.timeIntervalSince1970, u.keyName, u.route, u.target, u.requests, u.succeeded,
                        u.unknownUsage, u.inputTokens, u.outputTokens, Self.pico(u.cost),
                    ])
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record \(records.count) usage rows: \(error)")
        }
    }

    public func records(from: Date, to: Date) throws(StoreError) -> [UsageRecord] {
        do {
            return try writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT time, key_name, route, target, model, input_tokens, output_tokens, cost_pico, latency_ms, ttft_ms,
                               status, attempts
                        FROM usage_request WHERE time >= ? AND time < ? ORDER BY time, rowid
                        """, arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970]
                ).map { row in
                    let input: Int? = row["input_tokens"]
                    let output: Int? = row["output_tokens"]
                    let tokens = input == nil && output == nil ? nil : TokenCounts(input: input ?? 0, output: output ?? 0)
                    let cost: Int64? = row["cost_pico"]
                    return UsageRecord(
                        time: Date(timeIntervalSince1970: row["time"]), keyName: row["key_name"], route: row["route"],
                        target: row["target"], model: row["model"], tokens: tokens, cost: cost.map(Self.decimal),
                        latencyMilliseconds: row["latency_ms"], firstTokenMilliseconds: row["ttft_ms"],
                        status: row["status"], attempts: row["attempts"])
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read usage rows: \(error)")
        }
    }

    public func rollups(from: Date, to: Date) throws(StoreError) -> [UsageRollup] {
        do {
            return try writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT hour, key_name, route, target, requests, succeeded, unknown_usage, input_tokens, output_tokens, cost_pico
                        FROM usage_hourly WHERE hour >= ? AND hour < ? ORDER BY hour, key_name, route, target
                        """, arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970]
                ).map { row in
                    UsageRollup(
                        hour: Date(timeIntervalSince1970: row["hour"]), keyName: row["key_name"], route: row["route"],
                        target: row["target"], requests: row["requests"], succeeded: row["succeeded"],
                        unknownUsage: row["unknown_usage"], inputTokens: row["input_tokens"], outputTokens: row["output_tokens"],
                        cost: Self.decimal(row["cost_pico"]))
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read usage rollups: \(error)")
        }
    }

    public func spendByKey(since: Date) throws(StoreError) -> [String: Decimal] {
        do {
            return try writer.read { db in
                var spend: [String: Decimal] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT key_name, SUM(cost_pico) AS pico FROM usage_hourly WHERE hour >= ? GROUP BY key_name",
                    arguments: [since.timeIntervalSince1970])
                {
                    spend[row["key_name"]] = Self.decimal(row["pico"])
                }
                return spend
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read spend per key: \(error)")
        }
    }

    /// Drops requests older than `retention` and rollups older than `rollupRetention`.
    public func prune(now: Date = Date()) throws(StoreError) {
        do {
            try writer.write { db in
                try db.execute(sql: "DELETE FROM usage_request WHERE time < ?", arguments: [now.timeIntervalSince1970 - retention])
                try db.execute(sql: "DELETE FROM usage_hourly WHERE hour < ?", arguments: [now.timeIntervalSince1970 - rollupRetention])
            }
        } catch {
            throw StoreError(path: path, detail: "cannot prune the usage ledger: \(error)")
        }
    }

    static let picoPerUnit = Decimal(sign: .plus, exponent: 12, significand: 1)

    /// Whole picounits, rounded half-even (exact for prices with up to nine decimals per 1,000 tokens).
    static func pico(_ amount: Decimal) -> Int64 {
        var scaled = amount * picoPerUnit
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .bankers)
        // Through the text, which is exact: NSDecimalNumber's int64Value may pass through a Double.
        return Int64(rounded.description) ?? (rounded < 0 ? .min : .max)
    }

    static func decimal(_ pico: Int64) -> Decimal {
        Decimal(pico) / picoPerUnit
    }
}
