extension RouteTable {
    /// The table with `change` made, version + 1, or why it cannot be made.
    /// Every rule of a valid table is checked here, once, so the admin API, the
    /// dashboard and `qlp routes` cannot disagree about what is allowed.
    public func applying(_ change: RouteChange) throws(RouteChangeError) -> RouteTable {
        var next = self
        switch change {
        case .setWeights(let routeName, let weights):
            let index = try routeIndex(routeName)
            try validate(weights: weights, route: routeName, policy: routes[index].policy)
            next.routes[index].shares = weights
            try next.requireLiveTarget(in: next.routes[index])
        case .drain(let target):
            _ = try targetIndex(target)
            if isDrained(target) { throw RouteChangeError(.invalid, "target '\(target)' is already drained") }
            next.drained.append(target)
            for route in next.routes where route.targetNames.contains(target) {
                try next.requireLiveTarget(in: route)
            }
        case .undrain(let target):
            _ = try targetIndex(target)
            guard isDrained(target) else { throw RouteChangeError(.invalid, "target '\(target)' is not drained") }
            next.drained.removeAll { $0 == target }
        case .setFallback(let routeName, let order):
            let index = try routeIndex(routeName)
            var seen: Set<String> = []
            for name in order {
                _ = try targetIndex(name)
                if !seen.insert(name).inserted {
                    throw RouteChangeError(.invalid, "fallback of route '\(routeName)' lists '\(name)' twice")
                }
            }
            next.routes[index].fallback = order
            try next.requireLiveTarget(in: next.routes[index])
        case .setPolicy(let routeName, let policy):
            let index = try routeIndex(routeName)
            if policy == .weighted {
                let sum = routes[index].shares.reduce(0) { $0 + $1.weight }
                if sum != 100 {
                    throw RouteChangeError(
                        .invalid,
                        "route '\(routeName)' cannot be weighted: its weights sum to \(sum), "
                            + "not 100; set weights first")
                }
            }
            next.routes[index].policy = policy
        case .suspendRule(let name, let suspended):
            guard budgetRules.contains(where: { $0.name == name }) else { throw .unknownRule(name, in: self) }
            let isSuspended = suspendedRules.contains(name)
            if suspended == isSuspended {
                throw RouteChangeError(.invalid, "budget rule '\(name)' is already \(suspended ? "suspended" : "in force")")
            }
            if suspended { next.suspendedRules.append(name) } else { next.suspendedRules.removeAll { $0 == name } }
        case .restore(let table):
            // The restored content is a new version: versions only go up, so a
            // client holding the old number still gets a conflict.
            next = table
        case .batch(let parts):
            try RouteChange.checkBatch(parts)
            for (index, part) in parts.enumerated() {
                do {
                    next = try next.applying(part)
                } catch {
                    // Alone, a part is refused in its own words; among several, which one it was matters.
                    throw parts.count == 1
                        ? error
                        : RouteChangeError(error.kind, "change \(index + 1) of \(parts.count): \(error.message)")
                }
            }
        }
        // Once per change, a batch included: its parts' intermediate versions are never committed.
        next.version = version + 1
        return next
    }

    private func routeIndex(_ name: String) throws(RouteChangeError) -> Int {
        guard let index = routes.firstIndex(where: { $0.name == name }) else { throw .unknownRoute(name, in: self) }
        return index
    }

    private func targetIndex(_ name: String) throws(RouteChangeError) -> Int {
        guard let index = targets.firstIndex(where: { $0.name == name }) else { throw .unknownTarget(name, in: self) }
        return index
    }

    private func validate(weights: [Route.Share], route: String, policy: Route.Policy) throws(RouteChangeError) {
        guard !weights.isEmpty else { throw RouteChangeError(.invalid, "route '\(route)' needs at least one weighted target") }
        var seen: Set<String> = []
        for share in weights {
            _ = try targetIndex(share.target)
            if !seen.insert(share.target).inserted {
                throw RouteChangeError(.invalid, "weights of route '\(route)' list '\(share.target)' twice")
            }
            if !(0...100).contains(share.weight) {
                throw RouteChangeError(
                    .invalid,
                    "weight of '\(share.target)' in route '\(route)' is \(share.weight); "
                        + "a weight is 0 to 100 percentage points")
            }
        }
        let sum = weights.reduce(0) { $0 + $1.weight }
        if policy == .weighted, sum != 100 {
            throw RouteChangeError(.invalid, "weights of route '\(route)' sum to \(sum); a weighted route's weights sum to 100")
        }
    }

    /// A route must keep a target that is not drained, either weighted or as a
    /// fallback; otherwise every request to it would fail.
    private func requireLiveTarget(in route: Route) throws(RouteChangeError) {
        let live =
            route.shares.contains { $0.weight > 0 && !isDrained($0.target) }
            || route.fallback.contains { !isDrained($0) }
        if !live { throw RouteChangeError(.invalid, "would leave route '\(route.name)' with no target") }
    }
}
