import Foundation
import QLPCore
import QLPStore

/// What the gateway accounts to: the key store its virtual keys come from,
/// the usage ledger each request is written to, and the budget's time zone
/// and currency that key budgets follow. Both stores are optional: without a
/// key store only the config's keys are accepted; without a ledger nothing
/// is written (tests, benchmarks with the ledger off).
public struct GatewayAccounting: Sendable {
    public var keyStore: (any KeyStore)?
    public var ledger: (any UsageLedger)?
    public var timeZone: TimeZone
    public var currency: Currency
    public var ledgerCapacity: Int
    /// How often the key store is asked whether anything changed: a key
    /// created, revoked or rotated by `qlp keys` takes effect within this.
    public var keyRefresh: Duration

    public init(
        keyStore: (any KeyStore)? = nil, ledger: (any UsageLedger)? = nil, timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        currency: Currency = .gbp, ledgerCapacity: Int = UsageLedgerWriter.defaultCapacity,
        keyRefresh: Duration = .milliseconds(250)
    ) {
        self.keyStore = keyStore
        self.ledger = ledger
        self.timeZone = timeZone
        self.currency = currency
        self.ledgerCapacity = ledgerCapacity
        self.keyRefresh = keyRefresh
    }

    /// The first instant of the earliest budget period any key can be in at
    /// `now` (the month's or the ISO week's start, whichever is earlier):
    /// the ledger's rollups from there seed every key's spend.
    func earliestPeriodStart(now: Date) -> Date {
        KeyBudget.Period.allCases.map { KeyBudget(amount: 0, period: $0).window(containing: now, in: timeZone).start }.min() ?? now
    }
}
