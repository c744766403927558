extension Route {
    /// The route with `target`'s weight moved by `points` (clamped to 0...100)
    /// and the other positive weights rescaled in proportion so the total stays
    /// 100, rounded by largest remainder (ties to the earlier share). Zero
    /// weights stay zero unless every other weight is zero, when the freed
    /// points are shared equally among them. A target not yet a share is added
    /// at the end. With no other share to take the points, the route is unchanged.
    /// The dashboard's +/- keys on a route's target use this.
    public func shifting(target: String, by points: Int) -> Route {
        var shares = self.shares
        if !shares.contains(where: { $0.target == target }) {
            guard points > 0 else { return self }
            shares.append(Share(target: target, weight: 0))
        }
        let others = shares.indices.filter { shares[$0].target != target }
        guard !others.isEmpty, let own = shares.firstIndex(where: { $0.target == target }) else { return self }
        let current = shares[own].weight
        let (moved, overflow) = current.addingReportingOverflow(points)
        let weight = overflow ? (points > 0 ? 100 : 0) : min(max(moved, 0), 100)
        let remaining = 100 - weight
        var basis = others.filter { shares[$0].weight > 0 }
        var basisWeights = basis.map { shares[$0].weight }
        if basis.isEmpty {
            basis = others
            basisWeights = others.map { _ in 1 }
        }
        let total = basisWeights.reduce(0, +)
        var given = basisWeights.map { remaining * $0 / total }
        let remainders = basisWeights.map { remaining * $0 % total }
        var left = remaining - given.reduce(0, +)
        let byRemainder = basis.indices.sorted { a, b in
            remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b
        }
        for position in byRemainder where left > 0 {
            given[position] += 1
            left -= 1
        }
        for index in others { shares[index].weight = 0 }
        for (position, index) in basis.enumerated() { shares[index].weight = given[position] }
        shares[own].weight = weight
        var route = self
        route.shares = shares
        return route
    }
}
