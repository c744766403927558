import Foundation
import QLPRouting

/// The gateway's readers of bytes from outside, reachable from other modules
/// so that the fuzz targets (QLPFuzz) drive the same code the gateway runs:
/// client request bodies, upstream answers (bodies and SSE streams) and admin
/// API request bodies.
public enum GatewayInputParsing {
    /// Everything the gateway reads in an upstream answer: the usage object
    /// of a body or stream tail, a probe's stream and embeddings readings, and
    /// the model name rewritten in a client body.
    public static func readUpstream(_ bytes: [UInt8]) {
        _ = try? TokenUsage.find(in: bytes)
        _ = ProbeReading.stream(bytes)
        _ = ProbeReading.embeddings(bytes)
        _ = JSONBytes.topLevelValues(named: "model", in: bytes)
        _ = JSONBytes.replacingTopLevelModel(in: bytes, with: "llama3:8b")
    }

    /// A client's request body as each endpoint reads it, with the limits
    /// tight so their refusals run too.
    public static func readClient(_ bytes: [UInt8]) {
        var tight = ClientRequest.Limits()
        tight.maxOutputTokens = 8
        tight.maxChoices = 1
        for operation in [ClientRequest.Operation.chatCompletions, .embeddings] {
            for limits in [ClientRequest.Limits(), tight] {
                _ = try? ClientRequest(operation: operation, body: bytes, limits: limits)
            }
        }
    }

    /// Every admin API body type, and the text checks applied to their fields.
    public static func readAdmin(_ bytes: [UInt8]) {
        let weights = try? AdminRequestDecoding.decode(WeightsBody.self, from: bytes)
        if let weights {
            _ = AdminRequestDecoding.shares(weights.weights, existing: nil)
            _ = try? AdminRequestDecoding.reason(weights.reason)
        }
        _ = try? AdminRequestDecoding.decode(VersionedBody.self, from: bytes)
        _ = try? AdminRequestDecoding.decode(FallbackBody.self, from: bytes)
        if let policy = try? AdminRequestDecoding.decode(PolicyBody.self, from: bytes) {
            _ = try? AdminRequestDecoding.policy(policy.policy)
        }
        _ = try? AdminRequestDecoding.decode(UndoBody.self, from: bytes, emptyAs: "{}")
        if let batch = try? AdminRequestDecoding.decode(ChangesBody.self, from: bytes) {
            _ = batch.changes.map { $0.change(on: RouteTable(version: 0, targets: [], routes: [])) }
        }
        _ = try? AdminRequestDecoding.actor(
            String(decoding: bytes, as: UTF8.self), identity: AdminIdentityView(name: "admin", role: .admin))
    }
}
