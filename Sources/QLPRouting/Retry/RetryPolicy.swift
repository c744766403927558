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

    /// Whether a failed attempt speaks against the target rather than the
    /// request: the one rule for what counts against a target's health and
    /// what another target may serve. Besides no answer, 429 and 5xx: 408 (the
    /// upstream timing out on us); a 3xx (never followed: a target pointing
    /// elsewhere); and 401, 403 and 404, because the gateway, not the client,
    /// holds the target's key and chose its deployment or model, so a refused
    /// key or a missing model is the target's configuration, not the request's.
    public static func blamesTarget(_ failure: UpstreamFailure) -> Bool {
        switch failure {
        case .connect, .timeout, .throttled: true
        case .status(let code):
            code >= 500 || code == 429 || code == 408 || (300..<400).contains(code)
                || code == 401 || code == 403 || code == 404
        }
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
            return decide(
                after: .throttled(retryAfterSeconds: nil), attemptsMade: attemptsMade,
                targetsLeft: targetsLeft, secondsLeft: secondsLeft)
        case .status where Self.blamesTarget(failure):
            return mayAttemptAgain && targetsLeft > 0 ? .tryNext : .giveUp
        case .status:
            // 400, 413, 422...: the request itself is wrong, and another
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
