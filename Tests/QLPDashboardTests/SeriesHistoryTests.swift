import Foundation
import QLPDashboard
import QLPStore
import Testing

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
                try history.record(["latency.p50.gpt4": SeriesPoint(at: start.addingTimeInterval(Double(n)), value: Double(100 + n))],
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
        let history = try SQLiteSeriesHistory(path: path, maxAge: 100, maxPointsPerSeries: 3)
        for n in 0..<10 {
            let at = start.addingTimeInterval(Double(n))
            try history.record(["s": SeriesPoint(at: at, value: Double(n))], now: at)
        }
        #expect(try history.points("s", since: .distantPast).map(\.value) == [7, 8, 9])
        // A point far later ages the rest out.
        let later = start.addingTimeInterval(1000)
        try history.record(["s": SeriesPoint(at: later, value: 42)], now: later)
        #expect(try history.points("s", since: .distantPast).map(\.value) == [42])
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
        let first = ModelStatsPoller(source: StubStats(), store: store, interval: RefreshInterval(.seconds(1)), wake: WakeSignal(),
                                     history: try SQLiteSeriesHistory(path: path))
        for (n, p50) in [300.0, 320, 340].enumerated() {
            _ = first.withHistory([ModelTargetStats(target: "gpt4", backend: "azure-openai", state: "ok", p50Milliseconds: p50)],
                                  now: start.addingTimeInterval(Double(n)))
        }
        // A new process: the series is read back from the file.
        let second = ModelStatsPoller(source: StubStats(), store: store, interval: RefreshInterval(.seconds(1)), wake: WakeSignal(),
                                      history: try SQLiteSeriesHistory(path: path))
        let shown = second.withHistory([ModelTargetStats(target: "gpt4", backend: "azure-openai", state: "ok", p50Milliseconds: 360)],
                                       now: start.addingTimeInterval(3))
        #expect(shown.first?.recentLatency == [300, 320, 340, 360])
        // A source with its own series keeps it.
        let own = second.withHistory([ModelTargetStats(target: "gpt4", backend: "azure-openai", state: "ok", recentLatency: [1, 2])],
                                     now: start.addingTimeInterval(4))
        #expect(own.first?.recentLatency == [1, 2])
    }
}
