import Foundation
import QLPDashboard
import QLPRouting

/// A route control over an in-memory table with the engine's own validation,
/// an audit log and an undo stack: what the gateway's authority does, minus
/// persistence.
actor FakeRouteControl: RouteControl {
    private var current: RouteTable
    private var history: [RouteTable] = []
    private var log: [RouteAuditLine] = []
    let actor: String
    var shares: [String: [String: Double]] = [:]

    init(table: RouteTable, actor: String = "alice") {
        current = table
        self.actor = actor
    }

    func table() async -> RouteTable { current }

    func apply(_ change: RouteChange, expectedVersion: Int, reason: String?) async -> RouteControlOutcome {
        guard expectedVersion == current.version else {
            return reject("table is at v\(current.version), not v\(expectedVersion)", change: change)
        }
        do {
            let next = try current.applying(change)
            let summary = change.summary(before: current)
            log.insert(
                RouteAuditLine(
                    at: Date(), actor: actor, summary: summary, outcome: .applied,
                    fromVersion: current.version, toVersion: next.version), at: 0)
            history.append(current)
            current = next
            return .applied(version: next.version, summary: summary)
        } catch {
            return reject(error.description, change: change)
        }
    }

    func undo(expectedVersion: Int) async -> RouteControlOutcome {
        guard let previous = history.popLast() else { return .rejected(message: "nothing to undo") }
        guard expectedVersion == current.version else { return .rejected(message: "table moved on") }
        var restored = previous
        restored.version = current.version + 1
        let summary = RouteChange.restore(to: previous).summary(before: current)
        log.insert(
            RouteAuditLine(
                at: Date(), actor: actor, summary: summary, outcome: .undo,
                fromVersion: current.version, toVersion: restored.version), at: 0)
        current = restored
        return .applied(version: restored.version, summary: summary)
    }

    /// Set: the log cannot be read, for this reason.
    private var auditFailure: String?

    func audit(limit: Int) async throws(RouteAuditUnavailable) -> [RouteAuditLine] {
        if let auditFailure { throw RouteAuditUnavailable(auditFailure) }
        return Array(log.prefix(limit))
    }

    func failAudit(_ reason: String?) { auditFailure = reason }

    func observedTraffic(route: String) async -> ObservedTraffic {
        ObservedTraffic(shares: shares[route] ?? [:], requests: shares[route] == nil ? 0 : 20, windowSeconds: 4)
    }

    func setShares(_ route: String, _ value: [String: Double]) { shares[route] = value }

    private func reject(_ message: String, change: RouteChange) -> RouteControlOutcome {
        log.insert(
            RouteAuditLine(
                at: Date(), actor: actor, summary: change.summary(before: current),
                outcome: .rejected(reason: message), fromVersion: current.version, toVersion: current.version), at: 0)
        return .rejected(message: message)
    }
}

enum RoutingFixtures {
    static func target(_ name: String, _ backend: RouteTarget.Backend = .azureOpenAI, aliases: [String] = []) -> RouteTarget {
        RouteTarget(
            name: name, backend: backend, endpoint: "http://127.0.0.1:1", upstreamModel: name, modelNames: aliases,
            inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192)
    }

    static let table = RouteTable(
        version: 3,
        targets: [
            target("gpt4", aliases: ["gpt-4"]), target("gpt35", aliases: ["gpt-35-turbo"]), target("llama3", .ollama), target("embed"),
        ],
        routes: [
            Route(
                name: "chat", policy: .weighted,
                shares: [.init(target: "gpt4", weight: 40), .init(target: "gpt35", weight: 40), .init(target: "llama3", weight: 20)],
                fallback: ["gpt35", "llama3"]),
            Route(name: "embeddings", policy: .priority, shares: [.init(target: "embed", weight: 100)], fallback: []),
        ],
        budgetRules: [
            BudgetRoutingRule(
                name: "openai_over_95", category: "azure_openai", atPercent: 95, route: "chat",
                sendTo: "llama3", exceptTargets: [])
        ])
}
