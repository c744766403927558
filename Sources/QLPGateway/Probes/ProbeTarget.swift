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
