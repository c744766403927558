import QLPRouting

/// Route changes staged in the Routing view but not applied: the table they
/// start from and the changes in the order they will be applied. Repeated
/// edits of one thing (a route's weights, a target's drain) fold into one
/// change, and an edit that brings a thing back to the base drops it.
public struct RouteDraft: Sendable, Equatable {
    public private(set) var base: RouteTable
    public private(set) var changes: [RouteChange] = []
    /// Why the last edit was refused ("route 'chat' needs one live target").
    public private(set) var problem: String?

    public init(base: RouteTable) {
        self.base = base
    }

    public var isEmpty: Bool { changes.isEmpty }

    /// The base with every change applied: what the Routing view shows.
    public var table: RouteTable {
        changes.reduce(base) { table, change in (try? table.applying(change)) ?? table }
    }

    /// Moves `target`'s weight in `route` by `points`; the others rebalance.
    public mutating func shift(route name: String, target: String, by points: Int) {
        guard let route = table.route(named: name) else { return }
        let shifted = route.shifting(target: target, by: points)
        let baseShares = base.route(named: name)?.shares
        stage(.setWeights(route: name, weights: shifted.shares), isNoChange: shifted.shares == baseShares)
    }

    public mutating func toggleDrain(target: String) {
        let drained = table.isDrained(target)
        stage(drained ? .undrain(target: target) : .drain(target: target), isNoChange: base.isDrained(target) == !drained)
    }

    /// Moves `target` one place earlier in `route`'s fallback chain (onto its
    /// end when it is not in the chain yet).
    public mutating func moveEarlierInFallback(route name: String, target: String) {
        guard let route = table.route(named: name) else { return }
        var order = route.fallback
        if let i = order.firstIndex(of: target) {
            guard i > 0 else {
                problem = "\(target) is already first in \(name)'s fallback chain"
                return
            }
            order.swapAt(i, i - 1)
        } else {
            order.append(target)
        }
        stage(.setFallback(route: name, order: order), isNoChange: order == base.route(named: name)?.fallback)
    }

    public mutating func cyclePolicy(route name: String) {
        guard let route = table.route(named: name) else { return }
        let all = Route.Policy.allCases
        let next = all[((all.firstIndex(of: route.policy) ?? 0) + 1) % all.count]
        stage(.setPolicy(route: name, policy: next), isNoChange: next == base.route(named: name)?.policy)
    }

    /// Weights for a route in one go (the `:route` command).
    public mutating func setWeights(route name: String, weights: [Route.Share]) {
        stage(.setWeights(route: name, weights: weights), isNoChange: weights == base.route(named: name)?.shares)
    }

    /// Suspends or resumes a budget routing rule (the `:rule` command).
    public mutating func setRule(_ name: String, suspended: Bool) {
        stage(
            .suspendRule(name: name, suspended: suspended),
            isNoChange: base.suspendedRules.contains(name) == suspended
                && base.budgetRules.contains { $0.name == name })
    }

    /// Per-target weight and drain lines, base -> draft, for the confirm popup.
    public var diff: [RouteDiffLine] {
        RouteChange.restore(to: table).diff(before: base)
    }

    /// One line per change, each against the table it will be applied to.
    public var summaries: [String] {
        var table = base
        var lines: [String] = []
        for change in changes {
            lines.append(change.summary(before: table))
            table = (try? table.applying(change)) ?? table
        }
        return lines
    }

    private static func slot(_ change: RouteChange) -> String {
        switch change {
        case .setWeights(let route, _): "weights \(route)"
        case .drain(let target), .undrain(let target): "drain \(target)"
        case .setFallback(let route, _): "fallback \(route)"
        case .setPolicy(let route, _): "policy \(route)"
        case .suspendRule(let name, _): "rule \(name)"
        case .restore: "restore"
        case .batch: "batch"
        }
    }

    private mutating func stage(_ change: RouteChange, isNoChange: Bool) {
        var next = changes
        let slot = Self.slot(change)
        if let i = next.firstIndex(where: { Self.slot($0) == slot }) {
            if isNoChange { next.remove(at: i) } else { next[i] = change }
        } else if !isNoChange {
            next.append(change)
        }
        // Every change must apply in order, or the draft could not be applied.
        var table = base
        for staged in next {
            do {
                table = try table.applying(staged)
            } catch {
                problem = error.description
                return
            }
        }
        changes = next
        problem = nil
    }
}
