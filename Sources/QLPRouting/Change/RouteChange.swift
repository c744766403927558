/// One operator (or rule) action on the route table. The admin API, `qlp
/// routes` and the dashboard all express what they want as one of these, so
/// that validation, persistence and audit are one path.
public enum RouteChange: Sendable, Equatable, Hashable, Codable {
    /// New weights for a route's targets (target -> percentage points).
    case setWeights(route: String, weights: [Route.Share])
    /// Take a target out of every route.
    case drain(target: String)
    case undrain(target: String)
    /// A new fallback order for a route.
    case setFallback(route: String, order: [String])
    case setPolicy(route: String, policy: Route.Policy)
    /// An operator overrides (suspends) a budget rule, or lifts the override.
    case suspendRule(name: String, suspended: Bool)
    /// Put back the table as it was before the last applied change (undo).
    case restore(to: RouteTable)
    /// Several changes made in order, each on the result of the one before,
    /// committed as ONE new version with one audit entry: a dashboard draft or
    /// an admin API batch never lands half-applied, and one undo takes it all
    /// back. Neither empty, nor nested, nor holding a `restore`.
    case batch([RouteChange])
}

extension RouteChange {
    /// `changes` as one change: the change itself when there is one (so it is
    /// recorded exactly as it would be alone), a batch otherwise.
    public static func combining(_ changes: [RouteChange]) -> RouteChange {
        changes.count == 1 ? changes[0] : .batch(changes)
    }

    /// Refuses what cannot be a batch's parts: nothing at all, a batch inside
    /// a batch, or an undo (a `restore` puts back a whole table, which no
    /// later part could then be made against as the caller saw it).
    public static func checkBatch(_ parts: [RouteChange]) throws(RouteChangeError) {
        guard !parts.isEmpty else { throw RouteChangeError(.invalid, "a batch needs at least one change") }
        for (index, part) in parts.enumerated() {
            switch part {
            case .batch:
                throw RouteChangeError(
                    .invalid, "change \(index + 1) of \(parts.count) is itself a batch; list its changes in the outer one")
            case .restore:
                throw RouteChangeError(
                    .invalid,
                    "change \(index + 1) of \(parts.count) is an undo (restore), which cannot be part of a batch; "
                        + "undo on its own")
            default:
                continue
            }
        }
    }
}
