import Foundation
import QLPCore
import QLPStore
import Synchronization
import Testing

@Suite struct UsageLedgerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)  // an hour boundary

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-usage-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func row(
        _ seconds: Double, key: String = "app", route: String = "chat", target: String = "gpt4",
        tokens: TokenCounts? = TokenCounts(input: 500, output: 300), status: Int = 200
    ) -> UsageRecord {
        let cost = tokens?.cost(inputPer1K: Decimal(string: "0.0079")!, outputPer1K: Decimal(string: "0.0237")!)
        return UsageRecord(
            time: start.addingTimeInterval(seconds), keyName: key, route: route, target: target, model: "gpt-4-turbo",
            tokens: tokens, cost: cost, latencyMilliseconds: 812.5, firstTokenMilliseconds: seconds > 100 ? 120 : nil,
            status: status, attempts: 1)
    }

    @Test func rowsAndHourlyRollupsAgreeToThePenny() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try SQLiteUsageLedger(path: dir + "/usage.sqlite", now: Self.start)
        let rows = [
            Self.row(1), Self.row(2, tokens: nil), Self.row(3, key: "batch", target: "llama3"),
            Self.row(3700, route: "code"), Self.row(5, status: 502),
        ]
        // In two batches, the second adding to the first's hour.
        try ledger.append(Array(rows.prefix(2)))
        try ledger.append(Array(rows.dropFirst(2)))
        let read = try ledger.records(from: Self.start, to: Self.start.addingTimeInterval(7200))
        #expect(read == rows.sorted { $0.time < $1.time })
        let rollups = try ledger.rollups(from: Self.start, to: Self.start.addingTimeInterval(7200))
        #expect(Set(rollups) == Set(UsageRollup.of(rows)))
        let chat = try #require(rollups.first { $0.keyName == "app" && $0.route == "chat" && $0.hour == Self.start })
        #expect(chat.requests == 3)
        #expect(chat.succeeded == 2)
        #expect(chat.unknownUsage == 1)
        #expect(chat.inputTokens == 1000)
        // Two answers of 500 in, 300 out at £0.0079/£0.0237 per 1K: 2 × 0.01106 exactly.
        #expect(chat.cost == Decimal(string: "0.02212")!)
        #expect(try ledger.spendByKey(since: Self.start) == ["app": Decimal(string: "0.03318")!, "batch": Decimal(string: "0.01106")!])
        #expect(try ledger.spendByKey(since: Self.start.addingTimeInterval(3600)) == ["app": Decimal(string: "0.01106")!])
    }

    @Test func requestsArePrunedAfterTheirRetentionAndRollupsKeptLonger() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/usage.sqlite"
        do {
            let ledger = try SQLiteUsageLedger(path: path, now: Self.start)
            try ledger.append([Self.row(0), Self.row(40 * 86_400)])
        }
        let reopened = try SQLiteUsageLedger(
            path: path, retention: 30 * 86_400, rollupRetention: 400 * 86_400,
            now: Self.start.addingTimeInterval(41 * 86_400))
        let all = Self.start.addingTimeInterval(-1)..<Self.start.addingTimeInterval(50 * 86_400)
        #expect(try reopened.records(from: all.lowerBound, to: all.upperBound).count == 1)
        #expect(try reopened.rollups(from: all.lowerBound, to: all.upperBound).count == 2)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func theWriterNeverWaitsAndCountsWhatAFullQueueDrops() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try SQLiteUsageLedger(path: dir + "/usage.sqlite", now: Self.start)
        let writer = UsageLedgerWriter(ledger: ledger, capacity: 3)
        for i in 0..<5 { writer.record(Self.row(Double(i))) }
        #expect(writer.pending == 3)
        writer.flush()
        #expect(writer.counts.written == 3)
        #expect(writer.counts.dropped == 2)
        #expect(try ledger.records(from: Self.start, to: Self.start.addingTimeInterval(10)).count == 3)
    }

    @Test func aStoppedWriterHasWrittenEverythingQueuedBeforeTheStop() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try SQLiteUsageLedger(path: dir + "/usage.sqlite", now: Self.start)
        // An interval longer than the test: only the stop's own flush can write these.
        let writer = UsageLedgerWriter(ledger: ledger, interval: .seconds(3600))
        writer.start()
        for i in 0..<100 { writer.record(Self.row(Double(i))) }
        writer.stop()
        #expect(writer.counts.written == 100)
        #expect(try ledger.records(from: Self.start, to: Self.start.addingTimeInterval(200)).count == 100)
    }

    @Test func aBatchTheLedgerRefusesIsCountedAndReported() throws {
        struct Refusing: UsageLedger {
            func append(_ records: [UsageRecord]) throws(StoreError) { throw StoreError(path: "/x/usage.sqlite", detail: "disk full") }
            func records(from: Date, to: Date) throws(StoreError) -> [UsageRecord] { [] }
            func rollups(from: Date, to: Date) throws(StoreError) -> [UsageRollup] { [] }
            func spendByKey(since: Date) throws(StoreError) -> [String: Decimal] { [:] }
        }
        let reported = ReportedErrors()
        let writer = UsageLedgerWriter(ledger: Refusing(), onFailure: { reported.add($0) })
        writer.record(Self.row(0))
        writer.record(Self.row(1))
        writer.flush()
        #expect(writer.counts.failed == 2)
        #expect(reported.all.map(\.description) == ["/x/usage.sqlite: disk full"])
    }

    @Test func costsKeepTwelveDecimalsExactly() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try SQLiteUsageLedger(path: dir + "/usage.sqlite", now: Self.start)
        var row = Self.row(0)
        row.cost = Decimal(string: "1234.000000123456")!
        try ledger.append([row])
        #expect(try ledger.records(from: Self.start, to: Self.start.addingTimeInterval(1)).first?.cost == row.cost)
    }
}

private final class ReportedErrors: Sendable {
    private let errors = Mutex<[StoreError]>([])
    func add(_ error: StoreError) { errors.withLock { $0.append(error) } }
    var all: [StoreError] { errors.withLock { $0 } }
}
