import Foundation
import QLPCore
import QLPDashboard
import QLPStore
import Testing

@testable import QLPFeed

@Suite struct SeriesHistoryTests {
    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("qlp-series-\(UUID().uuidString)/series.sqlite").path
    }

    @Test func pointsSurviveAReopen() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        do {
            let history = try SQLiteSeriesHistory(path: path)
            for n in 0..<5 {
                try history.record(
                    ["latency.p50.gpt4": SeriesPoint(at: start.addingTimeInterval(Double(n)), value: Double(100 + n))],
                    now: start.addingTimeInterval(Double(n)))
            }
        }
        let reopened = try SQLiteSeriesHistory(path: path)
        let points = try reopened.points("latency.p50.gpt4", since: start)
        #expect(points.map(\.value) == [100, 101, 102, 103, 104])
        #expect(try reopened.points("latency.p50.gpt35", since: start).isEmpty)
    }

    @Test func retentionIsBoundedByAgeAndCount() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let history = try SQLiteSeriesHistory(
            path: path, maxAge: 100, maxPointsPerSeries: 3, memoryPointsPerSeries: 3, pruneInterval: 0,
            now: start)
        for n in 0..<10 {
            let at = start.addingTimeInterval(Double(n))
            try history.record(["s": SeriesPoint(at: at, value: Double(n))], now: at)
        }
        #expect(try history.storedPoints("s", since: .distantPast).map(\.value) == [7, 8, 9])
        // Memory holds as many points as its ring has room for, the newest.
        #expect(try history.points("s", since: .distantPast).map(\.value) == [7, 8, 9])
        // A point far later ages the rest out of the file.
        let later = start.addingTimeInterval(1000)
        try history.record(["s": SeriesPoint(at: later, value: 42)], now: later)
        #expect(try history.storedPoints("s", since: .distantPast).map(\.value) == [42])
        #expect(try history.points("s", since: later.addingTimeInterval(-100)).map(\.value) == [42])
    }

    @Test func latencySamplesAreSpacedOnDiskButEveryTickIsInMemory() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        do {
            let history = try SQLiteSeriesHistory(path: path, sampleSpacing: 60, now: start)
            _ = try history.points("latency.p50.gpt4", since: start)
            for n in 0..<130 {
                let at = start.addingTimeInterval(Double(n))
                try history.record(["latency.p50.gpt4": SeriesPoint(at: at, value: Double(n))], now: at)
            }
            #expect(try history.points("latency.p50.gpt4", since: start).count == 130)
            #expect(try history.storedPoints("latency.p50.gpt4", since: start).map(\.value) == [0, 60, 120])
        }
        let reopened = try SQLiteSeriesHistory(path: path, sampleSpacing: 60, now: start.addingTimeInterval(200))
        #expect(try reopened.points("latency.p50.gpt4", since: start).map(\.value) == [0, 60, 120])
    }

    @Test func metricSlotsUpdateInPlaceAndSurviveAReopenWithTheirUnit() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func at(_ slot: Int) -> Date { start.addingTimeInterval(Double(slot) * 300) }
        do {
            let history = try SQLiteSeriesHistory(path: path, now: start)
            try history.recordSlots(
                ["monitor/redis/serverload": [0, 1, 2].map { SeriesPoint(at: at($0), value: Double($0)) }],
                units: ["monitor/redis/serverload": "Percent"], now: at(2))
            // The next fetch overlaps: slot 2 filled in late with another value, slot 3 new.
            try history.recordSlots(
                [
                    "monitor/redis/serverload": [
                        SeriesPoint(at: at(1), value: 1), SeriesPoint(at: at(2), value: 20),
                        SeriesPoint(at: at(3), value: 3),
                    ]
                ], now: at(3))
            #expect(try history.points("monitor/redis/serverload", since: start).map(\.value) == [0, 1, 20, 3])
        }
        let reopened = try SQLiteSeriesHistory(path: path, now: at(4))
        #expect(try reopened.points("monitor/redis/serverload", since: start).map(\.value) == [0, 1, 20, 3])
        #expect(try reopened.points("monitor/redis/serverload", since: start).map(\.at) == (0...3).map(at))
        #expect(try reopened.units(["monitor/redis/serverload", "monitor/none"]) == ["monitor/redis/serverload": "Percent"])
    }

    @Test func openingPrunesWhatRetentionNoLongerAllows() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let day: TimeInterval = 86_400
        do {
            let history = try SQLiteSeriesHistory(path: path, now: now.addingTimeInterval(-500 * day))
            try history.recordSlots(
                [
                    "m": [
                        SeriesPoint(at: now.addingTimeInterval(-31 * day), value: 1),
                        SeriesPoint(at: now.addingTimeInterval(-29 * day), value: 2),
                    ]
                ], now: now.addingTimeInterval(-31 * day))
            let month = CivilDate(year: 2027, month: 1, day: 1)!
            for (age, used) in [(401.0, "1.00"), (399.0, "2.00")] {
                try history.recordCostFigures(
                    CostFigures(
                        scope: "sub", at: now.addingTimeInterval(-age * day), month: month,
                        monthToDate: Decimal(string: used)!, creditUsed: 5, currency: Currency(code: "GBP")))
            }
            #expect(try history.storedPoints("m", since: .distantPast).count == 2)
            #expect(try history.costFigures(scope: "sub", since: .distantPast).count == 2)
        }
        #expect(HistoryRetention.seriesMaxAge == 30 * day && HistoryRetention.costFiguresMaxAge == 400 * day)
        let reopened = try SQLiteSeriesHistory(path: path, maxAge: HistoryRetention.seriesMaxAge, now: now)
        #expect(try reopened.storedPoints("m", since: .distantPast).map(\.value) == [2])
        #expect(try reopened.costFigures(scope: "sub", since: .distantPast).map(\.monthToDate) == [Decimal(string: "2.00")!])
    }

    @Test func costFiguresAreKeptAtMostEveryFiveMinutesToThePenny() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let month = CivilDate(year: 2027, month: 1, day: 1)!
        func figures(_ seconds: TimeInterval, _ mtd: String) -> CostFigures {
            CostFigures(
                scope: "/subscriptions/x", at: start.addingTimeInterval(seconds), month: month, monthToDate: Decimal(string: mtd)!,
                creditUsed: Decimal(string: "1234.56")!, currency: Currency(code: "GBP"))
        }
        do {
            let history = try SQLiteSeriesHistory(path: path, now: start)
            #expect(try history.recordCostFigures(figures(0, "100.01")))
            #expect(try history.recordCostFigures(figures(60, "100.02")) == false)
            #expect(try history.recordCostFigures(figures(300, "100.03")))
        }
        let reopened = try SQLiteSeriesHistory(path: path, now: start.addingTimeInterval(400))
        let kept = try reopened.costFigures(scope: "/subscriptions/x", since: .distantPast)
        #expect(kept == [figures(0, "100.01"), figures(300, "100.03")])
        #expect(try reopened.costFigures(scope: "/subscriptions/other", since: .distantPast).isEmpty)
    }

    @Test func aCorruptFileDegradesToMemoryNamingTheFile() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let history = SQLiteSeriesHistory.openOrKeepInMemory(path: path, now: start)
        let problem = try #require(history.problem)
        #expect(problem.path == path && problem.description.contains(path))
        // The charts still work for this run.
        try history.record(["s": SeriesPoint(at: start, value: 7)], now: start)
        #expect(try history.points("s", since: start).map(\.value) == [7])
        #expect(try history.storedPoints("s", since: start).isEmpty)
        // The file is left as it was, for a person to look at.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x5A, count: 8192))
    }

    @Test func anUnusableStateDirectoryDegradesToMemory() throws {
        let blocker = Self.path()
        defer { try? FileManager.default.removeItem(atPath: (blocker as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(atPath: (blocker as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // A regular file where the state directory should be.
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        let path = blocker + "/series.sqlite"
        let history = SQLiteSeriesHistory.openOrKeepInMemory(path: path)
        #expect(history.problem?.path == path)
        #expect(throws: Never.self) {
            try history.recordCostFigures(
                CostFigures(
                    scope: "s", at: Date(), month: CivilDate(year: 2027, month: 1, day: 1)!,
                    monthToDate: 1, creditUsed: 1, currency: Currency(code: "GBP")))
        }
    }
}

@Suite struct SeriesRingTests {
    static func point(_ t: Double, _ v: Double) -> SeriesPoint { SeriesPoint(at: Date(timeIntervalSince1970: t), value: v) }

    @Test func keepsTheNewestPointsUpToItsCapacity() {
        var ring = SeriesRing(capacity: 3)
        for t in 0..<10 { ring.insert(Self.point(Double(t), Double(t))) }
        #expect(ring.points.map(\.value) == [7, 8, 9])
        #expect(ring.count == 3 && ring.last?.value == 9)
    }

    @Test func aKnownTimeTakesTheNewValueAndAMissingOneGoesInOrder() {
        var ring = SeriesRing(capacity: 4)
        for t in [0.0, 2, 3] { ring.insert(Self.point(t, t)) }
        ring.insert(Self.point(2, 20))
        ring.insert(Self.point(1, 1))
        #expect(ring.points.map(\.value) == [0, 1, 20, 3])
        // Full: an older point than all has no room, a middle one pushes the oldest out.
        ring.insert(Self.point(-1, -1))
        #expect(ring.points.map(\.value) == [0, 1, 20, 3])
        ring.insert(Self.point(2.5, 25))
        #expect(ring.points.map(\.value) == [1, 20, 25, 3])
        #expect(ring.points(since: Date(timeIntervalSince1970: 2.2)).map(\.value) == [25, 3])
    }

    @Test func storageStaysBoundedOverALongRun() {
        var ring = SeriesRing(capacity: 100)
        for t in 0..<100_000 { ring.insert(Self.point(Double(t), 1)) }
        #expect(ring.count == 100)
        #expect(ring.points.first?.at == Date(timeIntervalSince1970: 99_900))
    }
}

@Suite struct CostFiguresRecorderTests {
    @Test func recordsEachLiveFetchOnceAndNeverTheCache() throws {
        let path = SeriesHistoryTests.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let history = try SQLiteSeriesHistory(path: path)
        let store = DashboardStateStore(DashboardFixtures.state())
        let recorder = CostFiguresRecorder(store: store, history: history, scope: "/subscriptions/x")
        #expect(recorder.recordLatest())
        #expect(recorder.recordLatest() == false)
        let overview = try #require(store.state.cost.value?.overview)
        let kept = try history.costFigures(scope: "/subscriptions/x", since: .distantPast)
        #expect(kept.map(\.monthToDate) == [overview.monthly.spentToDate])
        #expect(kept.map(\.creditUsed) == [overview.credit.spent])
        #expect(kept.first?.at == store.state.cost.updatedAt)
        // Cached figures were kept when they were fetched.
        let cached = try #require(store.state.cost.value)
        store.update { $0.cost.succeed(cached, at: DashboardFixtures.now.addingTimeInterval(3600), source: .cache) }
        #expect(recorder.recordLatest() == false)
    }
}

struct StubStats: GatewayStatsSource {
    func targetStats() async -> [ModelTargetStats] { [] }
}

@Suite struct ModelHistoryTests {
    @Test func theSparklineComesFromStoredPointsAfterARestart() throws {
        let path = SeriesHistoryTests.path()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let store = DashboardStateStore(DashboardFixtures.state())
        let first = ModelStatsPoller(
            source: StubStats(), store: store, interval: RefreshInterval(.seconds(1)), wake: WakeSignal(),
            history: try SQLiteSeriesHistory(path: path))
        for (n, p50) in [300.0, 320, 340].enumerated() {
            _ = first.withHistory(
                [ModelTargetStats(target: "gpt4", backend: "azure-openai", state: .ok, p50Milliseconds: p50)],
                now: start.addingTimeInterval(Double(n)))
        }
        // A new process: the series is read back from the file.
        let second = ModelStatsPoller(
            source: StubStats(), store: store, interval: RefreshInterval(.seconds(1)), wake: WakeSignal(),
            history: try SQLiteSeriesHistory(path: path))
        let shown = second.withHistory(
            [ModelTargetStats(target: "gpt4", backend: "azure-openai", state: .ok, p50Milliseconds: 360)],
            now: start.addingTimeInterval(3))
        #expect(shown.first?.recentLatency == [300, 320, 340, 360])
        // A source with its own series keeps it.
        let own = second.withHistory(
            [ModelTargetStats(target: "gpt4", backend: "azure-openai", state: .ok, recentLatency: [1, 2])],
            now: start.addingTimeInterval(4))
        #expect(own.first?.recentLatency == [1, 2])
    }
}
