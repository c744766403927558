import Foundation
import QLPRouting

/// One change of a batch as POST /admin/changes carries it, such as
/// `{"op":"weights","route":"chat","weights":{"gpt4":20,"gpt35":80}}`. The one
/// wire form: the server decodes it and ``AdminAPIClient`` encodes it, so the
/// two cannot disagree on an op's name or the fields it needs.
public struct RouteChangeWire: Codable, Sendable, Equatable {
    /// Never a `restore` or a `batch`: the wire has no form for them.
    public let change: RouteChange

    /// `change` on the wire; nil for what a batch cannot hold (an undo, a batch).
    public init?(_ change: RouteChange) {
        switch change {
        case .restore, .batch: return nil
        default: self.change = change
        }
    }

    enum Operation: String, CaseIterable {
        case weights, fallback, policy, drain, undrain
        case suspendRule = "suspend_rule"
        case resumeRule = "resume_rule"
    }

    enum CodingKeys: String, CodingKey {
        case op, route, weights, order, policy, target, rule
    }

    /// Each op's own fields are required (a missing one is named with its
    /// place, "changes[2].weights"); any others are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .op)
        guard let op = Operation(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: container,
                debugDescription: "must be one of "
                    + Operation.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(text.prefix(40))'")
        }
        switch op {
        case .weights:
            let route = try container.decode(String.self, forKey: .route)
            let weights = try container.decode([String: Int].self, forKey: .weights)
            // JSON objects have no order: by name here; the server puts them in the route's own order.
            change = .setWeights(
                route: route, weights: weights.sorted { $0.key < $1.key }.map { Route.Share(target: $0.key, weight: $0.value) })
        case .fallback:
            change = .setFallback(
                route: try container.decode(String.self, forKey: .route),
                order: try container.decode([String].self, forKey: .order))
        case .policy:
            let route = try container.decode(String.self, forKey: .route)
            let name = try container.decode(String.self, forKey: .policy)
            guard let policy = Route.Policy(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .policy, in: container,
                    debugDescription: "must be one of "
                        + Route.Policy.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(name.prefix(40))'")
            }
            change = .setPolicy(route: route, policy: policy)
        case .drain: change = .drain(target: try container.decode(String.self, forKey: .target))
        case .undrain: change = .undrain(target: try container.decode(String.self, forKey: .target))
        case .suspendRule: change = .suspendRule(name: try container.decode(String.self, forKey: .rule), suspended: true)
        case .resumeRule: change = .suspendRule(name: try container.decode(String.self, forKey: .rule), suspended: false)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch change {
        case .setWeights(let route, let shares):
            try container.encode(Operation.weights.rawValue, forKey: .op)
            try container.encode(route, forKey: .route)
            // A route lists a target once (the table refuses it twice), so no weight is lost here.
            try container.encode(Dictionary(shares.map { ($0.target, $0.weight) }, uniquingKeysWith: { _, last in last }), forKey: .weights)
        case .setFallback(let route, let order):
            try container.encode(Operation.fallback.rawValue, forKey: .op)
            try container.encode(route, forKey: .route)
            try container.encode(order, forKey: .order)
        case .setPolicy(let route, let policy):
            try container.encode(Operation.policy.rawValue, forKey: .op)
            try container.encode(route, forKey: .route)
            try container.encode(policy.rawValue, forKey: .policy)
        case .drain(let target):
            try container.encode(Operation.drain.rawValue, forKey: .op)
            try container.encode(target, forKey: .target)
        case .undrain(let target):
            try container.encode(Operation.undrain.rawValue, forKey: .op)
            try container.encode(target, forKey: .target)
        case .suspendRule(let name, let suspended):
            try container.encode((suspended ? Operation.suspendRule : .resumeRule).rawValue, forKey: .op)
            try container.encode(name, forKey: .rule)
        case .restore, .batch:
            // init?(_:) never makes one of these.
            throw EncodingError.invalidValue(
                change,
                .init(
                    codingPath: encoder.codingPath,
                    debugDescription: "an undo or a batch cannot be a part of a batch"))
        }
    }

    /// The change as it applies to `table`: new weights in the route's own target order (its priority order).
    func change(on table: RouteTable) -> RouteChange {
        guard case .setWeights(let route, let shares) = change else { return change }
        let weights = Dictionary(shares.map { ($0.target, $0.weight) }, uniquingKeysWith: { _, last in last })
        return .setWeights(route: route, weights: AdminRequestDecoding.shares(weights, existing: table.route(named: route)))
    }
}

/// POST /admin/changes: several changes committed as one version.
struct ChangesBody: Codable {
    var version: Int
    var reason: String?
    var changes: [RouteChangeWire]
}
