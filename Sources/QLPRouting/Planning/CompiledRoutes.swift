import Foundation

/// A route table made ready for the hot path: schedules unrolled, names
/// indexed, budget rules attached to their routes. Immutable, so one instance
/// is shared by every request that loaded it; rebuilt when the table or the
/// set of active budget rules changes.
public final class CompiledRoutes: Sendable {
    public let table: RouteTable
    public let activeRules: [BudgetRoutingRule]

    private let routes: [CompiledRoute]
    private let routeIndex: [String: Int]
    private let targetIndex: [String: Int]
    /// Every name a client may send as `model`, resolved once here.
    private let resolutions: [String: RouteResolution]

    public init(table: RouteTable, activeRules: [BudgetRoutingRule] = []) {
        self.table = table
        self.activeRules = activeRules
        var targetIndex: [String: Int] = [:]
        for (index, target) in table.targets.enumerated() where targetIndex[target.name] == nil {
            targetIndex[target.name] = index
        }
        self.targetIndex = targetIndex
        let drained = Set(table.drained)
        var routes: [CompiledRoute] = []
        var routeIndex: [String: Int] = [:]
        for route in table.routes where routeIndex[route.name] == nil {
            let rule = activeRules.first { $0.route == route.name && targetIndex[$0.sendTo] != nil }
            routeIndex[route.name] = routes.count
            routes.append(CompiledRoute(route, targets: table.targets, targetIndex: targetIndex, drained: drained, rule: rule))
        }
        self.routes = routes
        self.routeIndex = routeIndex

        // Route names win over target names; a target answers for the first
        // route (in table order) that lists it, and a name two targets claim
        // belongs to the first of them.
        var resolutions: [String: RouteResolution] = [:]
        for route in table.routes where resolutions[route.name] == nil {
            resolutions[route.name] = RouteResolution(route: route.name)
        }
        for target in table.targets {
            guard let route = table.routes.first(where: { $0.targetNames.contains(target.name) }) else { continue }
            for name in [target.name] + target.modelNames where resolutions[name] == nil {
                resolutions[name] = RouteResolution(route: route.name, pinnedTarget: target.name)
            }
        }
        self.resolutions = resolutions
    }

    /// The routes in table order.
    public var routeNames: [String] { table.routes.map(\.name) }

    /// A route's name resolves to the route; a target's name or one of its model
    /// names resolves to the first route that lists the target, pinned to it. A
    /// target no route lists cannot be reached (nil), as an unknown name.
    public func resolve(model: String) -> RouteResolution? {
        resolutions[model]
    }

    /// One cycle of the weighted schedule of a route (target names), as the
    /// planner walks it; empty for an unknown route or one with no live weight.
    public func schedule(route: String) -> [String] {
        guard let index = routeIndex[route] else { return [] }
        return routes[index].schedule.map { table.targets[$0].name }
    }

    /// Ordered, distinct targets to try; never drained ones; at most maxAttempts.
    /// `tick` comes from a per-route atomic counter the caller increments once per request.
    ///
    /// The order: a firing budget rule's target (unless the request is pinned to
    /// an exempt target), the pinned target, the policy's choice, the route's
    /// other shares with a positive weight in the policy's order, then its
    /// fallback list. Targets whose breaker is open are left out. When that
    /// leaves nothing, every non-drained candidate is returned in the same order:
    /// a request is then tried against a target that is probably down, rather
    /// than failed without trying, because a breaker's verdict is a guess and an
    /// error the client sees is certain.
    public func plan(
        _ resolution: RouteResolution, tick: Int, maxAttempts: Int,
        health: (String) -> TargetHealth
    ) -> [RouteTarget] {
        guard maxAttempts > 0, let routeIndex = routeIndex[resolution.route] else { return [] }
        let route = routes[routeIndex]
        return withUnsafeTemporaryAllocation(of: TargetHealth?.self, capacity: table.targets.count) { known in
            known.initialize(repeating: nil)
            return plan(route, resolution, tick: tick, maxAttempts: maxAttempts) { index in
                if let cached = known[index] { return cached }
                let fresh = health(table.targets[index].name)
                known[index] = fresh
                return fresh
            }
        }
    }

    /// The plan, with `healthOf` asking each target's health at most once.
    private func plan(
        _ route: CompiledRoute, _ resolution: RouteResolution, tick: Int, maxAttempts: Int,
        healthOf: (Int) -> TargetHealth
    ) -> [RouteTarget] {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: route.candidates.count + route.fallback.count + 2) { buffer in
            var order = OrderedTargets(buffer: buffer)
            collect(route, resolution, tick: tick, into: &order, healthOf: healthOf)
            var chosen: [RouteTarget] = []
            chosen.reserveCapacity(min(maxAttempts, order.count))
            for index in order.items where chosen.count < maxAttempts && healthOf(index).available {
                chosen.append(table.targets[index])
            }
            if chosen.isEmpty {
                for index in order.items.prefix(maxAttempts) { chosen.append(table.targets[index]) }
            }
            return chosen
        }
    }

    /// Every candidate in plan order, each once, drained ones already left out.
    private func collect(
        _ route: CompiledRoute, _ resolution: RouteResolution, tick: Int, into order: inout OrderedTargets,
        healthOf: (Int) -> TargetHealth
    ) {
        func add(_ index: Int) { order.add(index) }
        let pinned = resolution.pinnedTarget.flatMap { targetIndex[$0] }.flatMap { route.drained.contains($0) ? nil : $0 }
        if let rule = route.rule, let sendTo = rule.sendTo,
            !(resolution.pinnedTarget.map { rule.exceptTargets.contains($0) } ?? false)
        {
            add(sendTo)
        }
        if let pinned { add(pinned) }
        switch route.policy {
        case .weighted:
            if !route.schedule.isEmpty {
                let count = route.schedule.count
                let start = ((tick % count) + count) % count
                var chosen = route.schedule[start]
                for step in 0..<count {
                    let index = route.schedule[(start + step) % count]
                    if healthOf(index).available {
                        chosen = index
                        break
                    }
                }
                add(chosen)
            }
            route.candidates.forEach(add)
        case .priority:
            route.candidates.forEach(add)
        case .cost:
            let slo = route.latencySLO
            let ranked = route.candidates.enumerated().sorted { a, b in
                let meetsA = slo.map { limit in healthOf(a.element).latencyMilliseconds.map { $0 <= limit } ?? true } ?? true
                let meetsB = slo.map { limit in healthOf(b.element).latencyMilliseconds.map { $0 <= limit } ?? true } ?? true
                if meetsA != meetsB { return meetsA }
                let costA = route.costs[a.offset]
                let costB = route.costs[b.offset]
                if costA != costB { return costA < costB }
                return a.offset < b.offset
            }
            for candidate in ranked { add(candidate.element) }
        case .latency:
            let ranked = route.candidates.enumerated().sorted { a, b in
                let latencyA = healthOf(a.element).latencyMilliseconds
                let latencyB = healthOf(b.element).latencyMilliseconds
                switch (latencyA, latencyB) {
                case (nil, nil): return a.offset < b.offset
                case (nil, _): return true  // unmeasured first: explore it
                case (_, nil): return false
                case (let x?, let y?): return x != y ? x < y : a.offset < b.offset
                }
            }
            for candidate in ranked { add(candidate.element) }
        }
        route.fallback.forEach(add)
    }
}

/// A distinct list of target indices in a caller's (stack) buffer, sized for
/// every candidate a route can add.
private struct OrderedTargets {
    let buffer: UnsafeMutableBufferPointer<Int>
    private(set) var count = 0

    init(buffer: UnsafeMutableBufferPointer<Int>) { self.buffer = buffer }

    var items: Slice<UnsafeMutableBufferPointer<Int>> { buffer[0..<count] }

    mutating func add(_ index: Int) {
        guard !buffer[0..<count].contains(index), count < buffer.count else { return }
        buffer[count] = index
        count += 1
    }
}

/// One route, with target names turned into indices and drained targets
/// already removed. A class, so that a plan reads it without copying (and
/// retaining) each of its arrays.
///
/// Drained targets are left out of the schedule itself, not skipped at their
/// turn: draining is part of the table, so the schedule can be rebuilt, and
/// the targets left keep their proportions to each other, smoothly (50/30/20
/// with the 30 drained becomes exactly 5:2). A target whose breaker is open is
/// skipped at its turn instead (its turn passes to the next in the schedule),
/// because that changes from one request to the next.
private final class CompiledRoute: Sendable {
    struct Rule: Sendable {
        /// Nil when the rule's target is drained: the route then routes as usual.
        var sendTo: Int?
        var exceptTargets: Set<String>
    }

    let policy: Route.Policy
    let latencySLO: Double?
    /// Shares with a positive weight, not drained, in the route's order.
    let candidates: [Int]
    /// Input plus output price of each candidate, by candidate position.
    let costs: [Decimal]
    /// One cycle of the smooth weighted round robin over the candidates.
    let schedule: [Int]
    let fallback: [Int]
    let drained: Set<Int>
    let rule: Rule?

    init(_ route: Route, targets: [RouteTarget], targetIndex: [String: Int], drained: Set<String>, rule: BudgetRoutingRule?) {
        policy = route.policy
        latencySLO = route.latencySLOMilliseconds.map(Double.init)
        self.drained = Set(drained.compactMap { targetIndex[$0] })
        var candidates: [Int] = []
        var weights: [Int] = []
        for share in route.shares where share.weight > 0 && !drained.contains(share.target) {
            guard let index = targetIndex[share.target], !candidates.contains(index) else { continue }
            candidates.append(index)
            weights.append(share.weight)
        }
        self.candidates = candidates
        costs = candidates.map { targets[$0].inputCostPer1K + targets[$0].outputCostPer1K }
        schedule = SmoothWeightedSchedule.cycle(weights: weights).map { candidates[$0] }
        fallback = route.fallback.compactMap { name in drained.contains(name) ? nil : targetIndex[name] }
        self.rule = rule.map { rule in
            Rule(sendTo: drained.contains(rule.sendTo) ? nil : targetIndex[rule.sendTo], exceptTargets: Set(rule.exceptTargets))
        }
    }
}
