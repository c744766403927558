/// nginx's smooth weighted round robin, unrolled into one cycle of picks.
///
/// Each pick adds every weight to its running score, takes the highest score
/// (the first on a tie) and subtracts the total from it. After sum(weights)
/// picks every score is back to zero, so the sequence repeats exactly, and
/// within it picks of one target are spread as evenly as integers allow
/// (70/30 becomes a pattern like A A B A A B A ...). Because the schedule is a
/// whole cycle, any `sum(weights)` consecutive picks hold exactly the weights;
/// shorter windows are off by at most about one pick per target.
enum SmoothWeightedSchedule {
    /// The picks of one cycle, as indices into `weights`; empty when no weight is positive.
    static func cycle(weights: [Int]) -> [Int] {
        let total = weights.reduce(0) { $0 + max($1, 0) }
        guard total > 0 else { return [] }
        var scores = [Int](repeating: 0, count: weights.count)
        var picks: [Int] = []
        picks.reserveCapacity(total)
        for _ in 0..<total {
            var best = -1
            for index in weights.indices where weights[index] > 0 {
                scores[index] += weights[index]
                if best < 0 || scores[index] > scores[best] { best = index }
            }
            scores[best] -= total
            picks.append(best)
        }
        return picks
    }
}
