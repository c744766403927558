import Foundation
import QLPRouting
import Testing

@testable import QLPGateway

/// What `qlp dash --attach` shows for a fleet: each replica's traffic and
/// target figures added up into one, by pure functions.
@Suite struct FleetFiguresMergeTests {
    static let at = Date(timeIntervalSince1970: 1_790_000_000)

    static func view(
        _ target: String, state: TargetCondition.State = .ok, breaker: CircuitBreaker.State = .closed,
        requests: Int, errors: Int = 0, p50: Double?, p95: Double?, share: Double? = nil, routeRequests: Int = 0,
        lastProbe: Date? = nil
    ) -> TargetStatsView {
        TargetStatsView(
            target: target, backend: .azureOpenAI, drained: false,
            condition: TargetCondition(state: state, reason: .answering(p95Milliseconds: p95, sloMilliseconds: nil), since: at),
            breaker: breaker, requests: requests, errors: errors, p50Milliseconds: p50, p95Milliseconds: p95,
            p99Milliseconds: p95.map { $0 * 2 }, ttftMilliseconds: nil, tokensPerSecond: nil,
            errorRate: requests > 0 ? Double(errors) / Double(requests) : nil, inputCostPer1K: nil, outputCostPer1K: nil,
            route: "chat", observedShare: share, routeRequests: routeRequests, lastProbe: lastProbe)
    }

    @Test func trafficAddsRequestsAndWeighsSharesByThem() {
        let a = AdminTrafficView(windowSeconds: 4, routes: ["chat": .init(shares: ["gpt4": 0.5, "gpt35": 0.5], requests: 100)])
        let b = AdminTrafficView(
            windowSeconds: 4,
            routes: [
                "chat": .init(shares: ["gpt4": 1.0], requests: 300),
                "embeddings": .init(shares: [:], requests: 0),
            ])
        let merged = AdminTrafficView.merged([a, b])
        #expect(merged.windowSeconds == 4)
        #expect(merged.routes["chat"]?.requests == 400)
        // 50 + 300 of 400 went to gpt4; 50 of 400 to gpt35: not the plain mean of the shares (0.75 / 0.25 either way here,
        // so check a case where they differ too).
        #expect(abs((merged.routes["chat"]?.shares["gpt4"] ?? 0) - 0.875) < 1e-9)
        #expect(abs((merged.routes["chat"]?.shares["gpt35"] ?? 0) - 0.125) < 1e-9)
        #expect(merged.routes["embeddings"] == .init(shares: [:], requests: 0))
        #expect(AdminTrafficView.merged([a]) == a)
    }

    @Test func targetsAddCountsWeighP50AndTakeTheWorstP95AndCondition() {
        let a = [
            Self.view("gpt4", requests: 300, errors: 3, p50: 100, p95: 400, share: 0.4, routeRequests: 300, lastProbe: Self.at),
            Self.view("gpt35", requests: 10, p50: 50, p95: 90),
        ]
        let b = [
            Self.view(
                "gpt4", state: .degraded, breaker: .halfOpen, requests: 100, errors: 7, p50: 300, p95: 2000, share: 0.8,
                routeRequests: 100, lastProbe: Self.at.addingTimeInterval(5)),
            Self.view("llama3", requests: 0, p50: nil, p95: nil),
        ]
        let merged = TargetStatsView.merged([a, b])
        #expect(merged.map(\.target) == ["gpt4", "gpt35", "llama3"])
        let gpt4 = merged[0]
        #expect(gpt4.requests == 400 && gpt4.errors == 10)
        #expect(gpt4.p50Milliseconds == 150)  // (300*100 + 100*300) / 400
        #expect(gpt4.p95Milliseconds == 2000)
        #expect(gpt4.p99Milliseconds == 4000)
        #expect(abs((gpt4.errorRate ?? 0) - 0.025) < 1e-9)  // (300*0.01 + 100*0.07) / 400
        #expect(abs((gpt4.observedShare ?? 0) - 0.5) < 1e-9)  // (300*0.4 + 100*0.8) / 400
        #expect(gpt4.routeRequests == 400)
        #expect(gpt4.condition.state == .degraded)
        #expect(gpt4.breaker == .halfOpen)
        #expect(gpt4.lastProbe == Self.at.addingTimeInterval(5))
        // Known to one replica only: its own figures.
        #expect(merged[1] == a[1])
        #expect(merged[2] == b[1])
    }

    @Test func anIdleFleetAveragesWhatItKnowsAndAnEmptyOneIsEmpty() {
        let merged = TargetStatsView.merged([
            [Self.view("gpt4", requests: 0, p50: 100, p95: 200)],
            [Self.view("gpt4", requests: 0, p50: 300, p95: 250)],
        ])
        #expect(merged.first?.p50Milliseconds == 200)
        #expect(merged.first?.p95Milliseconds == 250)
        #expect(TargetStatsView.merged([]).isEmpty)
        #expect(TargetStatsView.weightedMean([(nil, 5)]) == nil)
    }

    @Test func aTargetViewSurvivesTheWire() throws {
        var view = Self.view("gpt4", state: .down, breaker: .open, requests: 3, p50: 12.5, p95: 80)
        view.condition = TargetCondition(
            state: .down,
            reason: .failing(
                .init(reason: "connection refused", at: Self.at, byProbe: true),
                consecutiveProbes: 3), since: Self.at)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let back = try decoder.decode(TargetStatsView.self, from: encoder.encode(view))
        #expect(back == view)
    }
}
