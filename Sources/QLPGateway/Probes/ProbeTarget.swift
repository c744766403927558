import QLPRouting

/// A target to probe and what kind of request measures it: the caller knows
/// which route a target serves (chat or embeddings), so it says; guessing from
/// the model's name would misjudge a chat model that also embeds.
public struct ProbeTarget: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// A one-token streamed chat completion: connect, first token, total.
        case chat
        /// One short input: connect and total (no tokens are streamed).
        case embeddings
    }

    public var target: RouteTarget
    public var kind: Kind

    public init(_ target: RouteTarget, kind: Kind) {
        self.target = target
        self.kind = kind
    }
}

extension ProbeTarget {
    /// Every target of a table, probed as the routes it serves are used: a
    /// target serving only embeddings routes gets an embeddings probe, any
    /// other a chat probe.
    public static func all(in table: RouteTable, embeddingsRoutes: Set<String> = ["embeddings"]) -> [ProbeTarget] {
        table.targets.map { target in
            let serves = table.routes.filter { $0.targetNames.contains(target.name) }.map(\.name)
            let embeddingsOnly = !serves.isEmpty && serves.allSatisfy { embeddingsRoutes.contains($0) }
            return ProbeTarget(target, kind: embeddingsOnly ? .embeddings : .chat)
        }
    }
}
