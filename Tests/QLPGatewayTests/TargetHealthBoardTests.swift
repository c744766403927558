import Foundation
import QLPCore
import QLPRouting
import Synchronization
import Testing

@testable import QLPGateway

/// The health board on a hand-stepped clock: what the planner, the prober
/// and the dashboard read from it.
@Suite struct TargetHealthBoardTests {
    final class Clock: Sendable {
        private let seconds = Mutex(1000.0)
        var now: Double { seconds.withLock { $0 } }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    static let settings = CircuitBreaker.Settings(window: 10, minimumRequests: 5, failureRatio: 0.5, openFor: 5)

    @Test func failuresOpenTheBreakerAndTheCoolDownLetsOneTrialThrough() {
        let clock = Clock()
        let board = TargetHealthBoard(breaker: Self.settings, clock: { clock.now })
        #expect(board.health(for: "gpt4") == TargetHealth(available: true, latencyMilliseconds: nil))
        for _ in 0..<5 {
            #expect(board.admit("gpt4"))
            board.recordFailure("gpt4")
        }
        #expect(!board.health(for: "gpt4").available)
        #expect(board.state(of: "gpt4").breaker == .open)
        #expect(!board.admit("gpt4"))
        clock.advance(5.1)
        #expect(board.health(for: "gpt4").available)
        #expect(board.admit("gpt4"))
        #expect(!board.admit("gpt4"), "half-open lets one trial through at a time")
        board.recordAnswer("gpt4", milliseconds: 120, usage: nil, cost: 0)
        #expect(board.state(of: "gpt4").breaker == .closed)
        // Other targets are untouched.
        #expect(board.state(of: "gpt35").breaker == .closed)
    }

    @Test func retryAfterHoldsTheBreakerOpenThatLong() {
        let clock = Clock()
        let board = TargetHealthBoard(breaker: Self.settings, clock: { clock.now })
        board.recordFailure("gpt4", retryAfterSeconds: 30)
        #expect(!board.health(for: "gpt4").available)
        clock.advance(29)
        #expect(!board.health(for: "gpt4").available)
        clock.advance(1.5)
        #expect(board.health(for: "gpt4").available)
    }

    @Test func trafficFeedsLatencyCountersAndServedRecently() {
        let clock = Clock()
        let board = TargetHealthBoard(breaker: Self.settings, clock: { clock.now })
        for ms in 1...100 {
            board.recordAnswer(
                "llama3", milliseconds: Double(ms), usage: TokenCounts(input: 10, output: 2),
                cost: Decimal(string: "0.001")!)
        }
        board.recordFailure("llama3")
        let state = board.state(of: "llama3")
        #expect(state.requests == 101 && state.errors == 1)
        #expect(state.inputTokens == 1000 && state.outputTokens == 200)
        #expect(state.estimatedCost == Decimal(string: "0.1"))
        #expect(state.p50Milliseconds == 50 && state.p95Milliseconds == 95 && state.p99Milliseconds == 99)
        #expect(abs(state.errorRate - 1.0 / 101) < 1e-9)
        #expect(board.health(for: "llama3").latencyMilliseconds != nil)
        #expect(board.servedRecently("llama3", within: 30))
        clock.advance(31)
        #expect(!board.servedRecently("llama3", within: 30))
        #expect(!board.servedRecently("never-used", within: 30))
        #expect(board.states().map(\.target) == ["llama3", "never-used"])
    }

    @Test func probesMoveTheBreakerButAreNotTraffic() {
        let clock = Clock()
        let board = TargetHealthBoard(breaker: Self.settings, clock: { clock.now })
        func result(_ failure: UpstreamFailure?, status: Int? = nil) -> ProbeResult {
            ProbeResult(
                target: "gpt35", kind: .chat, at: Date(), connectMilliseconds: 1, timeToFirstTokenMilliseconds: 40,
                totalMilliseconds: 90,
                failure: failure.map { .init(status: status, reason: "x", bodyExcerpt: "", upstreamFailure: $0) },
                promptTokens: 1, completionTokens: 1, usageEstimated: false, cost: 0, ollamaModel: nil)
        }
        board.record(result(nil))
        #expect(board.health(for: "gpt35").latencyMilliseconds == 40)
        for _ in 0..<10 { board.record(result(.status(400), status: 400)) }
        #expect(board.state(of: "gpt35").breaker == .closed, "a refused probe says nothing about health")
        for _ in 0..<5 { board.record(result(.connect)) }
        #expect(board.state(of: "gpt35").breaker == .open)
        #expect(board.state(of: "gpt35").requests == 0)
        #expect(!board.servedRecently("gpt35", within: 60))
    }
}
