import Testing

@testable import QLPRouting

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 3, maxRetryAfterWait: 2)

    @Test func connectTimeoutAnd5xxTryTheNextTargetWithinTheBound() {
        for failure in [
            UpstreamFailure.connect, .timeout, .status(500), .status(502), .status(503), .status(408),
            .status(302), .status(401), .status(403), .status(404),
        ] {
            #expect(policy.decide(after: failure, attemptsMade: 1, targetsLeft: 2, secondsLeft: 10) == .tryNext)
            #expect(policy.decide(after: failure, attemptsMade: 3, targetsLeft: 2, secondsLeft: 10) == .giveUp)
            #expect(policy.decide(after: failure, attemptsMade: 1, targetsLeft: 0, secondsLeft: 10) == .giveUp)
            #expect(policy.decide(after: failure, attemptsMade: 1, targetsLeft: 2, secondsLeft: 0) == .giveUp)
        }
    }

    @Test func clientErrorsArePassedOn() {
        for code in [400, 413, 422] {
            #expect(policy.decide(after: .status(code), attemptsMade: 1, targetsLeft: 2, secondsLeft: 10) == .giveUp)
        }
    }

    @Test func throttledMovesOnOrWaitsWhenItIsTheLastAndTheWaitFits() {
        #expect(policy.decide(after: .throttled(retryAfterSeconds: 30), attemptsMade: 1, targetsLeft: 1, secondsLeft: 10) == .tryNext)
        #expect(
            policy.decide(after: .throttled(retryAfterSeconds: 1.5), attemptsMade: 1, targetsLeft: 0, secondsLeft: 10)
                == .waitThenRetrySame(seconds: 1.5))
        #expect(policy.decide(after: .throttled(retryAfterSeconds: 2.5), attemptsMade: 1, targetsLeft: 0, secondsLeft: 10) == .giveUp)
        #expect(policy.decide(after: .throttled(retryAfterSeconds: 1.5), attemptsMade: 1, targetsLeft: 0, secondsLeft: 1) == .giveUp)
        #expect(policy.decide(after: .throttled(retryAfterSeconds: 1.5), attemptsMade: 3, targetsLeft: 0, secondsLeft: 10) == .giveUp)
        #expect(policy.decide(after: .throttled(retryAfterSeconds: nil), attemptsMade: 1, targetsLeft: 0, secondsLeft: 10) == .giveUp)
        #expect(policy.decide(after: .status(429), attemptsMade: 1, targetsLeft: 1, secondsLeft: 10) == .tryNext)
    }
}
