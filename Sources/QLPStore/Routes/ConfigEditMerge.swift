import Foundation
import QLPRouting

/// Carries an edit of the config file's routing over to the live table.
///
/// Operators change routing live (weights, drains, fallbacks) and someone may
/// edit the config file meanwhile. On restart neither may silently win: the
/// edit is the difference between the config's table at the last start
/// (`base`) and now (`edited`), and only what it touched replaces the live
/// values. Field by field: a route's policy, weights, fallback and latency SLO
/// come from the file if the file changed them, else stay as changed live.
/// Targets and budget rules exist only in the file, so they are the file's.
/// Routes added to or removed from the file are added or removed. Drains and
/// rule suspensions stay, unless their target or rule is gone.
enum ConfigEditMerge {
    struct Result: Equatable {
        /// The merged table, at `live`'s version (the caller commits the next one).
        var table: RouteTable
        /// What the edit changed in the live table, for the audit log.
        var summary: String
    }

    static func merge(base: RouteTable, edited: RouteTable, live: RouteTable) -> Result {
        let targetNames = Set(edited.targets.map(\.name))
        var routes: [Route] = []
        for route in edited.routes {
            guard let was = base.route(named: route.name), let now = live.route(named: route.name) else {
                routes.append(route)
                continue
            }
            var merged = now
            if route.policy != was.policy { merged.policy = route.policy }
            if route.shares != was.shares { merged.shares = route.shares }
            if route.fallback != was.fallback { merged.fallback = route.fallback }
            if route.latencySLOMilliseconds != was.latencySLOMilliseconds {
                merged.latencySLOMilliseconds = route.latencySLOMilliseconds
            }
            // A live weight on a target the file has since removed cannot stay: the file's route wins whole.
            if !merged.targetNames.allSatisfy(targetNames.contains) { merged = route }
            // Live weights under a policy the file just made weighted must still sum to 100; else the file's route wins whole.
            if merged.policy == .weighted, merged.shares.reduce(0, { $0 + $1.weight }) != 100 { merged = route }
            routes.append(merged)
        }
        let ruleNames = Set(edited.budgetRules.map(\.name))
        let table = RouteTable(
            version: live.version, targets: edited.targets, routes: routes,
            drained: live.drained.filter(targetNames.contains), budgetRules: edited.budgetRules,
            suspendedRules: live.suspendedRules.filter(ruleNames.contains))
        return Result(table: table, summary: describe(from: live, to: table))
    }

    /// "targets +mistral; chat weights gpt4 40→30, gpt35 40→50; routes -code", or "" if nothing differs.
    static func describe(from old: RouteTable, to new: RouteTable) -> String {
        var parts: [String] = []
        let oldTargets = old.targets.map(\.name)
        let newTargets = new.targets.map(\.name)
        if let text = setDifference("targets", old: oldTargets, new: newTargets) { parts.append(text) }
        let redefined = new.targets.filter { target in old.target(named: target.name).map { $0 != target } ?? false }
        if !redefined.isEmpty { parts.append("targets redefined: " + redefined.map(\.name).joined(separator: ", ")) }
        if let text = setDifference("routes", old: old.routes.map(\.name), new: new.routes.map(\.name)) { parts.append(text) }
        for route in new.routes {
            guard let was = old.route(named: route.name) else { continue }
            if route.policy != was.policy { parts.append("\(route.name) policy \(was.policy.rawValue)→\(route.policy.rawValue)") }
            if route.shares != was.shares { parts.append("\(route.name) weights " + weightChanges(was.shares, route.shares)) }
            if route.fallback != was.fallback {
                parts.append("\(route.name) fallback [\(was.fallback.joined(separator: ", "))]→[\(route.fallback.joined(separator: ", "))]")
            }
            if route.latencySLOMilliseconds != was.latencySLOMilliseconds {
                parts.append(
                    "\(route.name) latency SLO \(was.latencySLOMilliseconds.map { "\($0) ms" } ?? "none")→"
                        + (route.latencySLOMilliseconds.map { "\($0) ms" } ?? "none"))
            }
        }
        if let text = setDifference("drained", old: old.drained, new: new.drained) { parts.append(text) }
        if let text = setDifference("budget rules", old: old.budgetRules.map(\.name), new: new.budgetRules.map(\.name)) {
            parts.append(text)
        }
        let changedRules = new.budgetRules.filter { rule in old.budgetRules.first { $0.name == rule.name }.map { $0 != rule } ?? false }
        if !changedRules.isEmpty { parts.append("budget rules redefined: " + changedRules.map(\.name).joined(separator: ", ")) }
        if let text = setDifference("suspended rules", old: old.suspendedRules, new: new.suspendedRules) { parts.append(text) }
        return parts.joined(separator: "; ")
    }

    private static func setDifference(_ label: String, old: [String], new: [String]) -> String? {
        let added = new.filter { !old.contains($0) }
        let removed = old.filter { !new.contains($0) }
        guard !added.isEmpty || !removed.isEmpty else { return nil }
        return label + " " + (added.map { "+" + $0 } + removed.map { "-" + $0 }).joined(separator: " ")
    }

    private static func weightChanges(_ old: [Route.Share], _ new: [Route.Share]) -> String {
        var names = old.map(\.target)
        for share in new where !names.contains(share.target) { names.append(share.target) }
        return names.compactMap { name -> String? in
            let was = old.first { $0.target == name }?.weight
            let now = new.first { $0.target == name }?.weight
            guard was != now else { return nil }
            return "\(name) \(was.map(String.init) ?? "–")→\(now.map(String.init) ?? "–")"
        }.joined(separator: ", ")
    }
}
