import Atomics
import Crypto
import Foundation
import QLPCore
import Synchronization

/// Who may call the gateway, and how much: the config's client keys and the
/// key store's virtual keys, looked up by the SHA-256 of the presented key,
/// each with its usage (request and token windows, spend in its budget
/// period) behind its own short lock.
///
/// The table is swapped whole when the store changes (one atomic load per
/// request to find it), so a reload never holds up a request; usage carries
/// over by name, so a rotated key keeps its spend.
///
/// Lookup by digest: the digest of a guessed key says nothing about a real
/// one (finding a key from a digest prefix is a preimage search), so the
/// dictionary's comparison needs no constant-time care, unlike comparing keys.
public final class KeyGate: Sendable {
    /// A key and its usage.
    public final class Holder: Sendable {
        public let key: VirtualKey
        let usage: Mutex<KeyUsage>

        init(key: VirtualKey, usage: KeyUsage) {
            self.key = key
            self.usage = Mutex(usage)
        }
    }

    /// Who a request is from.
    public enum Caller: Sendable {
        /// The gateway requires no key (none configured or created).
        case anonymous
        case key(Holder)

        public var name: String {
            switch self {
            case .anonymous: UsageRecord.anonymous
            case .key(let holder): holder.key.name
            }
        }
    }

    private final class Table: AtomicReference, Sendable {
        let byDigest: [String: Holder]
        let ordered: [Holder]
        init(_ holders: [Holder]) {
            ordered = holders
            byDigest = Dictionary(holders.map { ($0.key.digest, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private let table: ManagedAtomic<Table>
    /// The time zone budget periods follow (the budget's billing time zone).
    public let timeZone: TimeZone
    /// The budget currency: what prices, spend and key budgets are in.
    public let currency: Currency

    /// - Parameters:
    ///   - configDigests: `gateway.client_key_sha256`, checked here.
    ///   - stored: the key store's keys.
    ///   - usage: the ledger's rollups of the current budget periods, so a restart keeps what keys spent.
    public init(
        configDigests: [String], stored: [VirtualKey] = [], usage: [UsageRollup] = [], timeZone: TimeZone,
        currency: Currency = .gbp, now: Date = Date()
    ) throws(ClientKeys.ParseError) {
        let config = ConfigListedKeys.keys(hexDigests: try ClientKeys.validated(hexDigests: configDigests), loadedAt: now)
        self.timeZone = timeZone
        self.currency = currency
        let byName = Dictionary(grouping: usage, by: \.keyName)
        table = ManagedAtomic(
            Table(
                (config + stored).map { key in
                    var seeded = KeyUsage()
                    seeded.seed(byName[key.name] ?? [], budgetPeriod: key.limits.budget?.period ?? .month, now: now, timeZone: timeZone)
                    return Holder(key: key, usage: seeded)
                }))
    }

    /// Whether a request must carry a key: once any key exists, created or
    /// listed in the config (revoked ones too), a request without a valid key is
    /// refused, so limits cannot be bypassed by sending none.
    public var required: Bool { !table.load(ordering: .acquiring).ordered.isEmpty }

    /// The caller an `Authorization` header names; nil when it names no
    /// active key while one is required (401).
    public func identify(authorization: String?, now: Date) -> Caller? {
        let current = table.load(ordering: .acquiring)
        guard !current.ordered.isEmpty else { return .anonymous }
        guard let key = ClientKeys.bearer(authorization),
            let holder = current.byDigest[ClientKeys.hexDigest(of: key)], holder.key.isActive(at: now)
        else { return nil }
        return .key(holder)
    }

    /// Replaces the store's keys (the config's stay), keeping each name's usage.
    public func reload(stored: [VirtualKey]) {
        let current = table.load(ordering: .acquiring)
        let previous = Dictionary(current.ordered.map { ($0.key.name, $0) }, uniquingKeysWith: { first, _ in first })
        let config = current.ordered.filter { $0.key.origin == .config }
        let holders =
            config
            + stored.map { key in
                Holder(key: key, usage: previous[key.name]?.usage.withLock { $0 } ?? KeyUsage())
            }
        table.store(Table(holders), ordering: .releasing)
    }

    /// Whether the key store holds keys (revoked ones too), which keep keys required whatever the config lists.
    public var holdsStoredKeys: Bool { table.load(ordering: .acquiring).ordered.contains { $0.key.origin != .config } }

    /// Replaces the config's keys (`gateway.client_key_sha256` as edited; the
    /// store's stay), keeping each name's usage: a SIGHUP that adds a key lets
    /// it in at once, one that removes a key refuses it from the next request.
    public func reload(configDigests: [String], now: Date = Date()) throws(ClientKeys.ParseError) {
        let config = ConfigListedKeys.keys(hexDigests: try ClientKeys.validated(hexDigests: configDigests), loadedAt: now)
        let current = table.load(ordering: .acquiring)
        // By digest: config keys are named by their place in the list, which an edit can shift.
        let stored = current.ordered.filter { $0.key.origin != .config }
        let holders =
            config.map { key in
                Holder(key: key, usage: current.byDigest[key.digest].map { $0.usage.withLock { $0 } } ?? KeyUsage())
            } + stored
        table.store(Table(holders), ordering: .releasing)
    }

    /// Decides on a request of `caller` to `route`. Anonymous callers (no key
    /// exists) have no limits and nothing to lock.
    public func decide(_ caller: Caller, route: String, estimatedTokens: Int, now: Date) -> KeyDecision {
        let timeZone = self.timeZone
        switch caller {
        case .anonymous:
            return .admitted(KeyUsage.Reservation(second: 0, estimatedTokens: estimatedTokens))
        case .key(let holder):
            return holder.usage.withLock {
                $0.decide(holder.key.limits, route: route, estimatedTokens: estimatedTokens, now: now, timeZone: timeZone)
            }
        }
    }

    /// An admitted request's outcome: its tokens and cost count against the key.
    public func settle(_ caller: Caller, _ reservation: KeyUsage.Reservation, route: String, tokens: TokenCounts?, cost: Decimal?) {
        switch caller {
        case .anonymous:
            break
        case .key(let holder):
            holder.usage.withLock { $0.settle(reservation, route: route, tokens: tokens, cost: cost) }
        }
    }

    /// Every key's limits and use, for the Keys view (the config's first, then the store's by name).
    public func activity(now: Date) -> [KeyActivity] {
        let current = table.load(ordering: .acquiring)
        return current.ordered.map { holder in
            let key = holder.key
            let usage = holder.usage.withLock { $0 }.asOf(now, budgetPeriod: key.limits.budget?.period ?? .month, timeZone: timeZone)
            let lastMinute = usage.lastMinute(now: now)
            let state: KeyActivity.State = key.revokedAt != nil ? .revoked : key.isActive(at: now) ? .active : .expired
            let top = usage.routeSpend.values.sorted { ($0.cost, $0.requests, $1.route) > ($1.cost, $1.requests, $0.route) }
            return KeyActivity(
                name: key.name, origin: key.origin, state: state, limits: key.limits, expiresAt: key.expiresAt,
                spent: usage.spent, periodResets: usage.periodResets, requests: usage.periodRequests,
                tokens: usage.periodTokens, requestsLastMinute: lastMinute.requests,
                tokensLastMinute: lastMinute.tokens, refused: usage.refused, topRoutes: top)
        }
    }
}
