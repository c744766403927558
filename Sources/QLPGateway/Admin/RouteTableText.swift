import Foundation
import QLPCanvas
import QLPRouting
import QLPStore

/// The route table and the audit log as text for a terminal (`qlp routes
/// show`, `qlp routes audit`).
///
/// Every value that came from outside (route, target and rule names, the
/// actor, a change's summary, its reason, a refusal) is made a printable
/// line of its own first: the admin API refuses control characters in a
/// reason, but an audit store written by an older version, by hand or by an
/// attacker with the file can still hold one, and a line break there would
/// forge an audit entry on the operator's screen.
public enum RouteTableText {
    public static func render(_ view: AdminRoutesView, source: String) -> String {
        let table = view.table
        var out = "Route table version \(view.version) (\(safe(source)))\n"
        let rules = view.activeRules.map {
            "\(safe($0.name)) (\(safe($0.route)) -> \(safe($0.sendTo))"
                + ($0.exceptTargets.isEmpty ? "" : " except \($0.exceptTargets.map(safe).joined(separator: ", "))") + ")"
        }
        out += "Budget rules in force: \(rules.isEmpty ? "none" : rules.joined(separator: "; "))\n"
        if !table.suspendedRules.isEmpty { out += "Suspended by an operator: \(table.suspendedRules.map(safe).joined(separator: ", "))\n" }
        out += "Drained: \(view.drained.isEmpty ? "none" : view.drained.map(safe).joined(separator: ", "))\n"
        let width = max(6, table.targets.map { safe($0.name).count }.max() ?? 6)
        for route in table.routes {
            out += "\n\(safe(route.name))  \(route.policy.rawValue)"
            if let slo = route.latencySLOMilliseconds { out += "  (latency SLO \(slo) ms)" }
            out += "\n"
            for share in route.shares {
                let name = safe(share.target).padding(toLength: width, withPad: " ", startingAt: 0)
                let weight = String(share.weight).leftPadded(to: 3)
                out += "  \(name) \(weight)%" + (table.isDrained(share.target) ? "  drained" : "") + "\n"
            }
            out +=
                "  fallback: "
                + (route.fallback.isEmpty
                    ? "none"
                    : route.fallback.map {
                        table.isDrained($0) ? "\(safe($0)) (drained)" : safe($0)
                    }.joined(separator: " → ")) + "\n"
        }
        return out
    }

    public static func audit(_ entries: [RouteAuditEntry]) -> String {
        let time = DateFormatter()
        time.locale = Locale(identifier: "en_US_POSIX")
        time.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        var out = ""
        for entry in entries {
            let versions: String
            switch entry.outcome {
            case .applied: versions = "v\(entry.fromVersion)→v\(entry.toVersion ?? entry.fromVersion)"
            case .rejected: versions = "rejected at v\(entry.fromVersion)"
            case .automatic: versions = "automatic at v\(entry.fromVersion)"
            }
            out += "#\(entry.id)  \(time.string(from: entry.at))  \(safe(entry.actor))  \(versions)\n    \(safe(entry.summary))\n"
            if let reason = entry.reason { out += "    reason: \(safe(reason))\n" }
            if let rejection = entry.rejection { out += "    refused: \(safe(rejection))\n" }
        }
        return out.isEmpty ? "No route changes recorded.\n" : out
    }

    private static func safe(_ text: String) -> String { TerminalSafeText.printedLine(text) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
