import Foundation
import QLPCore
import QLPEmulator
import QLPGateway
import QLPStore

/// The demo's clients as virtual keys in the demo's own key store
/// (`demo-keys.sqlite`), so the Keys view, the ledger and the report show
/// spend per key as they would in production. Each run rotates them to new
/// secrets the demo traffic sends (the demo's store only: no person holds
/// these keys); a key revoked with `qlp keys revoke --demo` stays revoked,
/// and the demo's traffic stops using it.
enum DemoKeys {
    /// A demo client: its key's name and secret, and the routes it sends to.
    struct Client: Sendable {
        let name: String
        let secret: String
        let routes: [String]
    }

    /// Limits that make the Keys view worth reading: budgets the history
    /// leaves room in (the nightly jobs' is tight), a rate limit, a key held
    /// to its routes.
    static func limits(for name: String) -> KeyLimits {
        switch name {
        case "web-app": KeyLimits(requestsPerMinute: 1200, budget: KeyBudget(amount: 250, period: .month))
        case "code-assistant": KeyLimits(tokensPerMinute: 2_000_000, budget: KeyBudget(amount: 200, period: .month), routes: ["code"])
        case "batch-jobs": KeyLimits(budget: KeyBudget(amount: 60, period: .month), routes: ["chat", "embeddings"])
        default: KeyLimits()
        }
    }

    /// Creates the demo keys the store lacks and gives every one not revoked a new secret.
    static func prepare(store: any KeyStore, clients: [TrafficKey], now: Date) throws(KeyStoreError) -> [Client] {
        var prepared: [Client] = []
        for client in clients {
            let secret = KeyMaterial.generate()
            let digest = ClientKeys.hexDigest(of: secret)
            if let existing = try store.key(named: client.name) {
                guard existing.revokedAt == nil else { continue }
                _ = try store.rotate(named: client.name, digest: digest, at: now)
            } else {
                try store.create(VirtualKey(name: client.name, digest: digest, createdAt: now, limits: limits(for: client.name)))
            }
            prepared.append(Client(name: client.name, secret: secret, routes: client.demands.map(\.route)))
        }
        return prepared
    }
}
