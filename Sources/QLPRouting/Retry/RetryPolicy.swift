/// Decides, after a failed attempt, whether to try another target, wait for
/// the same one, or give up, within the bounds on attempts and time.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts per client request, the first included.
    public var maxAttempts: Int
    /// The longest Retry-After the gateway will sit out on a client's behalf, in seconds.
    public var maxRetryAfterWait: Double

    public init(maxAttempts: Int, maxRetryAfterWait: Double) {
        self.maxAttempts = maxAttempts
        self.maxRetryAfterWait = maxRetryAfterWait
    }

    /// - Parameters:
    ///   - attemptsMade: attempts so far, the failed one included.
    ///   - targetsLeft: targets of the plan not yet tried.
    ///   - secondsLeft: what remains of the request's time limit.
    public func decide(after failure: UpstreamFailure, attemptsMade: Int, targetsLeft: Int, secondsLeft: Double) -> RetryDecision {
        let mayAttemptAgain = attemptsMade < maxAttempts && secondsLeft > 0
        switch failure {
        case .connect, .timeout:
            return mayAttemptAgain && targetsLeft > 0 ? .tryNext : .giveUp
        case .status(429):
            return decide(after: .throttled(retryAfterSeconds: nil), attemptsMade: attemptsMade,
                          targetsLeft: targetsLeft, secondsLeft: secondsLeft)
        case .status(let code) where code >= 500 || code == 408 || (300..<400).contains(code):
            // 408 is the upstream timing out on us, not a fault of the request; a 3xx
            // (never followed) is a target pointing elsewhere, which another target need not do.
            return mayAttemptAgain && targetsLeft > 0 ? .tryNext : .giveUp
        case .status:
            // 400, 401, 404, 422...: the request itself is wrong, and another
            // target would say the same; the client gets the upstream's answer.
            return .giveUp
        case .throttled(let retryAfter):
            guard mayAttemptAgain else { return .giveUp }
            if targetsLeft > 0 { return .tryNext }
            // The last target is throttled: waiting is worth it only if it says
            // how long, and that fits both our own limit and the request's time.
            guard let seconds = retryAfter, seconds >= 0, seconds <= maxRetryAfterWait, seconds <= secondsLeft else {
                return .giveUp
            }
            return .waitThenRetrySame(seconds: seconds)
        }
    }
}
