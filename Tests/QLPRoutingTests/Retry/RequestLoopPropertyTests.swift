import Foundation
import QLPTestSupport
import Testing

@testable import QLPRouting

/// The plan and the retry policy together, driven the way a gateway request
/// drives them, over seeded random tables and failures: a request never asks
/// a target twice (except when a throttled last target is waited for), never
/// makes more than maxAttempts attempts, and never waits past its time.
@Suite struct RequestLoopPropertyTests {
    @Test func attemptsAndTimeStayBoundedAndTargetsDistinct() {
        var random = SeededGenerator(seed: 0xA77E_4975)
        let failures: [UpstreamFailure?] = [
            nil, .connect, .timeout, .status(500), .status(503), .status(400), .status(404),
            .status(429), .throttled(retryAfterSeconds: 0.5), .throttled(retryAfterSeconds: 30),
            .throttled(retryAfterSeconds: nil),
        ]
        let names = ["a", "b", "c", "d"]
        for _ in 0..<3_000 {
            let maxAttempts = Int.random(in: 1...5, using: &random)
            let policy = RetryPolicy(maxAttempts: maxAttempts, maxRetryAfterWait: Double.random(in: 0...2, using: &random))
            let table = RoutingFixture.weighted(
                [Int.random(in: 0...100, using: &random)].flatMap { [$0, 100 - $0] },
                fallback: names.shuffled(using: &random), drained: Bool.random(using: &random) ? ["c"] : [])
            let plan = CompiledRoutes(table: table).plan(
                RouteResolution(route: "r"), tick: Int.random(in: 0...99, using: &random),
                maxAttempts: maxAttempts
            ) { _ in TargetHealth() }
            var secondsLeft = Double.random(in: 0.1...5, using: &random)
            var asked: [String] = []
            var index = 0
            var waits = 0
            loop: while index < plan.count {
                asked.append(plan[index].name)
                guard let failure = failures.randomElement(using: &random)! else { break loop }
                secondsLeft -= 0.01
                switch policy.decide(
                    after: failure, attemptsMade: asked.count, targetsLeft: plan.count - index - 1,
                    secondsLeft: secondsLeft)
                {
                case .tryNext: index += 1
                case .waitThenRetrySame(let seconds):
                    #expect(seconds <= secondsLeft && seconds <= policy.maxRetryAfterWait)
                    #expect(index == plan.count - 1, "waits only on the last target")
                    secondsLeft -= seconds
                    waits += 1
                case .giveUp: break loop
                }
            }
            #expect(asked.count <= maxAttempts)
            #expect(Set(asked).count == asked.count - waits)
            #expect(!asked.contains("c") || !table.drained.contains("c"))
        }
    }
}
