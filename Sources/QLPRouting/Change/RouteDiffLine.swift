/// One line of what a change does to a route's target, for the dashboard's
/// confirm screen: "chat  gpt4  40 → 20".
public struct RouteDiffLine: Sendable, Equatable, Hashable {
    public var route: String
    public var target: String
    /// The target's weight in the route; nil when it has none (not a share, or only a fallback).
    public var beforeWeight: Int?
    public var afterWeight: Int?
    public var beforeDrained: Bool
    public var afterDrained: Bool

    public init(route: String, target: String, beforeWeight: Int?, afterWeight: Int?, beforeDrained: Bool, afterDrained: Bool) {
        self.route = route
        self.target = target
        self.beforeWeight = beforeWeight
        self.afterWeight = afterWeight
        self.beforeDrained = beforeDrained
        self.afterDrained = afterDrained
    }
}

extension RouteChange {
    /// The weight and drain changes this change makes to `before`, route by
    /// route in table order, a target's line only when something of it changes.
    /// Empty for a change that would be refused, or one that moves no weight
    /// (a policy, fallback order or rule switch: the summary says those).
    public func diff(before: RouteTable) -> [RouteDiffLine] {
        guard let after = try? before.applying(self) else { return [] }
        var lines: [RouteDiffLine] = []
        var routeNames = before.routes.map(\.name)
        routeNames += after.routes.map(\.name).filter { !routeNames.contains($0) }
        for routeName in routeNames {
            let old = before.route(named: routeName)
            let new = after.route(named: routeName)
            var targets = old?.targetNames ?? []
            targets += (new?.targetNames ?? []).filter { !targets.contains($0) }
            for target in targets {
                let line = RouteDiffLine(
                    route: routeName, target: target,
                    beforeWeight: old?.shares.first { $0.target == target }?.weight,
                    afterWeight: new?.shares.first { $0.target == target }?.weight,
                    beforeDrained: before.isDrained(target), afterDrained: after.isDrained(target))
                if line.beforeWeight != line.afterWeight || line.beforeDrained != line.afterDrained { lines.append(line) }
            }
        }
        return lines
    }

    /// One line for the audit log and the confirm prompt, such as
    /// "chat weights: gpt4 40→20, gpt35 40→60".
    public func summary(before: RouteTable) -> String {
        switch self {
        case .setWeights(let route, let weights):
            let old = before.route(named: route)?.shares ?? []
            var names = old.map(\.target)
            names += weights.map(\.target).filter { !names.contains($0) }
            let changes = names.compactMap { name -> String? in
                let from = old.first { $0.target == name }?.weight ?? 0
                let to = weights.first { $0.target == name }?.weight ?? 0
                return from == to ? nil : "\(name) \(from)→\(to)"
            }
            return changes.isEmpty ? "\(route) weights unchanged" : "\(route) weights: \(changes.joined(separator: ", "))"
        case .drain(let target):
            let routes = before.routes.filter { $0.targetNames.contains(target) }.map(\.name)
            return "drain \(target)" + (routes.isEmpty ? "" : " (out of \(routes.joined(separator: ", ")))")
        case .undrain(let target):
            return "undrain \(target)"
        case .setFallback(let route, let order):
            let old = before.route(named: route)?.fallback ?? []
            return "\(route) fallback: \(RouteChangeError.list(old)) → \(RouteChangeError.list(order))"
        case .setPolicy(let route, let policy):
            let old = before.route(named: route).map(\.policy.rawValue) ?? "none"
            return "\(route) policy: \(old) → \(policy.rawValue)"
        case .suspendRule(let name, let suspended):
            return suspended ? "suspend budget rule \(name)" : "resume budget rule \(name)"
        case .restore(let table):
            let details = diff(before: before).map { line in
                let from = line.beforeDrained ? "drained" : line.beforeWeight.map(String.init) ?? "-"
                let to = line.afterDrained ? "drained" : line.afterWeight.map(String.init) ?? "-"
                return "\(line.route) \(line.target) \(from)→\(to)"
            }
            return "restore the table of version \(table.version)" + (details.isEmpty ? "" : ": " + details.joined(separator: ", "))
        case .batch(let parts):
            // Each part said against the table the parts before it left, as the batch is applied.
            var table = before
            var lines: [String] = []
            for part in parts {
                lines.append(part.summary(before: table))
                table = (try? table.applying(part)) ?? table
            }
            return lines.isEmpty ? "empty batch" : lines.joined(separator: "; ")
        }
    }
}
