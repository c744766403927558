/// How much of a request's remaining time one upstream attempt may use: an
/// equal share among the attempts still possible, so that a target that
/// stalls leaves time for the next one; the last possible attempt gets all
/// that is left. (A target that fails at once leaves its share to the rest.)
enum AttemptDeadline {
    /// - Parameters:
    ///   - left: seconds left of the request's time limit.
    ///   - attemptsPossible: this attempt and those that could follow it (targets left, within max_attempts).
    static func seconds(left: Double, attemptsPossible: Int) -> Double {
        let left = max(0, left)
        return attemptsPossible > 1 ? left / Double(attemptsPossible) : left
    }
}
