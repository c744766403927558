import Foundation
import QLPCanvas

/// The Routing view's one line about the attached replicas:
/// "fleet: gw-a v12 ok · gw-b v12 ok · gw-c v11 behind · gw-d down".
public enum FleetLine {
    /// What a replica is, judged against the newest version any replica serves.
    enum Health: Int, Comparable {
        case down = 0
        case storeDown
        case behind
        case ok

        var word: String {
            switch self {
            case .down: "down"
            case .storeDown: "store down"
            case .behind: "behind"
            case .ok: "ok"
            }
        }

        static func < (a: Health, b: Health) -> Bool { a.rawValue < b.rawValue }
    }

    /// Longest replica name shown whole; longer ones are cut.
    static let nameWidth = 16

    /// The line within `width` columns. When every replica does not fit, the
    /// ones that need attention come first and the rest are counted ("+5 more: 5 ok").
    public static func text(_ replicas: [ReplicaStatus], width: Int, glyphs: GlyphSet) -> String {
        guard !replicas.isEmpty else { return "fleet: no replica attached" }
        let newest = replicas.compactMap { replica -> Int? in
            if case .up(let version, _) = replica.state { version } else { nil }
        }.max()
        let judged = replicas.map { ($0, health($0, newest: newest)) }
        let separator = " \(glyphs.separator) "
        func item(_ replica: ReplicaStatus, _ health: Health) -> String {
            let name = DisplayWidth.truncate(replica.name, to: nameWidth, ellipsis: glyphs.ellipsis)
            if case .up(let version, _) = replica.state { return "\(name) v\(version) \(health.word)" }
            return "\(name) \(health.word)"
        }
        let whole = "fleet: " + judged.map(item).joined(separator: separator)
        if DisplayWidth.of(whole) <= width { return whole }
        // Worst first (stable within a kind), then as many as fit before the count of the rest.
        let ordered = judged.enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element)
        for shown in stride(from: ordered.count - 1, through: 0, by: -1) {
            let rest = ordered.dropFirst(shown)
            var counts: [Health: Int] = [:]
            for (_, health) in rest { counts[health, default: 0] += 1 }
            let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.word)" }.joined(separator: ", ")
            let more = "+\(rest.count) more: \(summary)"
            let text = "fleet: " + (ordered.prefix(shown).map(item) + [more]).joined(separator: separator)
            if DisplayWidth.of(text) <= width { return text }
        }
        return DisplayWidth.truncate("fleet: \(replicas.count) replicas", to: width, ellipsis: glyphs.ellipsis)
    }

    static func health(_ replica: ReplicaStatus, newest: Int?) -> Health {
        switch replica.state {
        case .down: .down
        case .up(_, storeHealthy: false): .storeDown
        case .up(let version, true): version < (newest ?? version) ? .behind : .ok
        }
    }
}
