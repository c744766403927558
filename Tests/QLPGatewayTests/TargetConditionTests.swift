import Foundation
import QLPRouting
import Synchronization
import Testing

@testable import QLPGateway

/// Issue 17: a target's condition from all the evidence (probes, live
/// requests, its breaker, its latency SLO), on a hand-stepped clock.
@Suite struct TargetConditionTests {
    /// Monotonic seconds and the wall time they stand for, stepped together.
    final class Clock: Sendable {
        private let seconds = Mutex(1000.0)
        static let wallAtStart = Date(timeIntervalSince1970: 1_796_000_000)
        var now: Double { seconds.withLock { $0 } }
        var wall: Date { Self.wallAtStart.addingTimeInterval(now - 1000) }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    /// The gateway's defaults: a 10 s breaker window of at least 5 requests, open for 5 s.
    static let breaker = CircuitBreaker.Settings(window: 10, minimumRequests: 5, failureRatio: 0.5, openFor: 5)
    static let refused = "cannot connect to 127.0.0.1 port 43117"

    static func board(_ clock: Clock, probeInterval: Duration = .seconds(30)) -> TargetHealthBoard {
        TargetHealthBoard(
            breaker: breaker, condition: TargetConditionTracker.Settings(probeInterval: probeInterval),
            clock: { clock.now }, wallClock: { clock.wall })
    }

    static func probeFailed(_ board: TargetHealthBoard, _ target: String = "gpt4") {
        board.recordProbe(target, success: false, milliseconds: nil, failure: refused)
    }

    @Test func nothingKnownIsUnknownNotOk() {
        let clock = Clock()
        let condition = Self.board(clock).condition(of: "gpt4", latencySLOMilliseconds: 4000)
        #expect(condition.state == .unknown)
        #expect(condition.explanation(time: nil) == "not probed nor requested yet")
    }

    /// With probes every 30 s and nobody calling, the breaker never opens (5
    /// failures within 10 s): the probes alone make the target down.
    @Test func probesAloneMakeAnUnreachableTargetDownWithTheReason() {
        let clock = Clock()
        let board = Self.board(clock)
        Self.probeFailed(board)
        var condition = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
        #expect(condition.state == .degraded, "one failed probe: \(condition)")
        clock.advance(30)
        Self.probeFailed(board)
        #expect(board.state(of: "gpt4").breaker == .closed, "the breaker alone would still say nothing")
        condition = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
        #expect(condition.state == .down)
        #expect(condition.since == clock.wall)
        let time: (Date) -> String = { "T+\(Int($0.timeIntervalSince(Clock.wallAtStart)))" }
        #expect(condition.explanation(time: time) == "\(Self.refused) at T+30 (2 probes failed in a row)")
    }

    /// The flip-flop: probes every 5 s against a dead target, the
    /// breaker opening and going half-open in turn. The condition says down
    /// at every second, with the same time it went down.
    @Test func aDeadTargetStaysDownWhileItsBreakerCycles() {
        let clock = Clock()
        let board = Self.board(clock, probeInterval: .seconds(5))
        var breakerStates: Set<Int> = []
        var wentDown: Date?
        for second in 0..<120 {
            if second % 5 == 0 { Self.probeFailed(board) }
            // Traffic comes and fails whenever the breaker lets it through.
            if board.admit("gpt4") { board.recordFailure("gpt4", failure: .connect) }
            breakerStates.insert(board.state(of: "gpt4").breaker.rawValue)
            let condition = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
            if second >= 5 {
                #expect(condition.state == .down, "second \(second): \(condition)")
                if wentDown == nil { wentDown = condition.since }
                #expect(condition.since == wentDown, "second \(second): down since it first went down")
            }
            clock.advance(1)
        }
        #expect(breakerStates.count > 1, "the breaker did cycle: \(breakerStates)")
    }

    /// Back to ok only after it has answered for a while: one good probe is
    /// not enough, two 30 s apart are.
    @Test func aDownTargetRecoversOnlyAfterSustainedAnswers() {
        let clock = Clock()
        let board = Self.board(clock)
        Self.probeFailed(board)
        clock.advance(30)
        Self.probeFailed(board)
        #expect(board.condition(of: "gpt4", latencySLOMilliseconds: nil).state == .down)
        clock.advance(30)
        board.recordProbe("gpt4", success: true, milliseconds: 700)
        let recovering = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
        #expect(recovering.state == .down)
        #expect(recovering.explanation(time: nil).hasPrefix("answering again (1 answer so far)"))
        clock.advance(30)
        board.recordProbe("gpt4", success: true, milliseconds: 650)
        let back = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
        #expect(back.state == .ok)
        #expect(back.since == clock.wall)
    }

    /// Live traffic that all fails opens the breaker: down. The half-open trial's
    /// success closes the breaker, but the target stays down until answers
    /// have kept coming for the recovery period; a failure among them starts it over.
    @Test func trafficFailuresMakeItDownAndATrialSuccessIsNotYetRecovery() {
        let clock = Clock()
        let board = Self.board(clock)
        for _ in 0..<5 { board.recordFailure("gpt4", failure: .status(503)) }
        var condition = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
        #expect(condition.state == .down)
        #expect(condition.explanation(time: nil) == "circuit breaker open after requests answered HTTP 503")
        clock.advance(6)
        #expect(board.admit("gpt4"))
        board.recordAnswer("gpt4", milliseconds: 800, usage: nil, cost: 0)
        #expect(board.state(of: "gpt4").breaker == .closed)
        #expect(board.condition(of: "gpt4", latencySLOMilliseconds: nil).state == .down)
        clock.advance(5)
        board.recordAnswer("gpt4", milliseconds: 800, usage: nil, cost: 0)
        board.recordFailure("gpt4", failure: .timeout)
        clock.advance(6)
        board.recordAnswer("gpt4", milliseconds: 800, usage: nil, cost: 0)
        condition = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
        #expect(condition.state == .down, "a failure restarted the recovery: \(condition)")
        clock.advance(10)
        board.recordAnswer("gpt4", milliseconds: 800, usage: nil, cost: 0)
        condition = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
        #expect(condition.state != .down, "two answers 10 s apart, none failed: \(condition)")
    }

    /// 6 s added to a target with a 4 s SLO: slow, with its p95 and the SLO;
    /// it stays slow just under the SLO and is ok again well under it.
    @Test func overItsSLOATargetIsSlowAndClearsWellUnderIt() {
        let clock = Clock()
        let board = Self.board(clock)
        for ms in [7805.0, 7400, 7100, 7600] {
            board.recordAnswer("gpt4", milliseconds: ms, usage: nil, cost: 0)
            clock.advance(1)
        }
        var condition = board.condition(of: "gpt4", latencySLOMilliseconds: 4000)
        #expect(condition.state == .slow)
        #expect(condition.explanation(time: nil) == "p95 7.8 s over the 4 s SLO")
        #expect(board.condition(of: "gpt4", latencySLOMilliseconds: nil).state == .ok, "no SLO, no slow")
        _ = board.condition(of: "gpt4", latencySLOMilliseconds: 4000)
        // The slow answers leave the 2-minute window; answers just under the SLO keep it slow...
        clock.advance(130)
        for _ in 0..<5 { board.recordAnswer("gpt4", milliseconds: 3900, usage: nil, cost: 0) }
        condition = board.condition(of: "gpt4", latencySLOMilliseconds: 4000)
        #expect(condition.state == .slow)
        #expect(condition.explanation(time: nil) == "p95 3.9 s back near the 4 s SLO")
        // ...answers well under it clear it.
        clock.advance(130)
        for _ in 0..<5 { board.recordAnswer("gpt4", milliseconds: 1800, usage: nil, cost: 0) }
        condition = board.condition(of: "gpt4", latencySLOMilliseconds: 4000)
        #expect(condition.state == .ok)
        #expect(condition.explanation(time: nil) == "p95 1.8 s within the 4 s SLO")
    }

    @Test func aShareOfFailedRequestsIsDegraded() {
        let clock = Clock()
        let board = Self.board(clock)
        for _ in 0..<9 { board.recordAnswer("gpt35", milliseconds: 300, usage: nil, cost: 0) }
        board.recordFailure("gpt35", failure: .status(500))
        let condition = board.condition(of: "gpt35", latencySLOMilliseconds: nil)
        #expect(condition.state == .degraded)
        #expect(condition.explanation(time: nil) == "10% of 10 attempts failed in the last 60 s; last requests answered HTTP 500")
        // A minute on, the failure has left the window.
        clock.advance(61)
        board.recordAnswer("gpt35", milliseconds: 300, usage: nil, cost: 0)
        #expect(board.condition(of: "gpt35", latencySLOMilliseconds: nil).state == .ok)
    }

    @Test func evidenceTooOldIsUnknown() {
        let clock = Clock()
        let board = Self.board(clock)
        board.recordProbe("mistral", success: true, milliseconds: 400)
        #expect(board.condition(of: "mistral", latencySLOMilliseconds: nil).state == .ok)
        clock.advance(301)
        let condition = board.condition(of: "mistral", latencySLOMilliseconds: nil)
        #expect(condition.state == .unknown)
        #expect(condition.explanation(time: { _ in "T" }) == "nothing measured it since T")
    }

    /// A probe that could not connect, as the prober reports it, reaches the condition in a few words.
    @Test func aProbeResultsFailureIsTheReason() {
        let clock = Clock()
        let board = Self.board(clock)
        let failure = ProbeResult.Failure(
            status: nil,
            reason: TransportFailureText.brief(
                .connectionFailed(
                    endpoint: "http://127.0.0.1:43117/openai/deployments/gpt4-deployment/chat/completions",
                    detail: "Failed to connect to 127.0.0.1 port 43117 after 0 ms: Couldn't connect to server")),
            bodyExcerpt: "", upstreamFailure: .connect)
        let result = ProbeResult(
            target: "gpt4", kind: .chat, at: clock.wall, connectMilliseconds: 0, timeToFirstTokenMilliseconds: nil,
            totalMilliseconds: 0, failure: failure, promptTokens: 0, completionTokens: 0, usageEstimated: false,
            cost: 0, ollamaModel: nil)
        board.record(result)
        clock.advance(30)
        board.record(result)
        let condition = board.condition(of: "gpt4", latencySLOMilliseconds: nil)
        #expect(condition.state == .down)
        #expect(condition.explanation(time: nil) == "\(Self.refused) (2 probes failed in a row)")
        #expect(board.state(of: "gpt4").lastProbeAt == clock.wall)
    }
}
