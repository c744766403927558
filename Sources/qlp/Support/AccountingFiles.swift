import Foundation
import QLPCore
import QLPGateway
import QLPStore

/// Where a gateway process keeps its keys and usage: one key store and one
/// usage ledger per state directory, shared by `qlp gateway` and `qlp dash`
/// on the machine (the demo has its own pair, so it never mixes with real usage).
struct AccountingFiles: Sendable {
    var stateDirectory: String
    var demo: Bool
    var usageLedger: Bool
    var usageRetention: Duration
    var timeZone: TimeZone
    var currency: Currency

    init(_ configuration: QLPConfiguration, demo: Bool) {
        stateDirectory = configuration.dashboard.stateDirectory
        self.demo = demo
        usageLedger = configuration.gateway.usageLedger
        usageRetention = configuration.gateway.usageRetention
        timeZone = TimeZone(identifier: configuration.budget.billingTimeZone) ?? TimeZone(identifier: "UTC")!
        currency = configuration.budget.currency
    }

    static func usagePath(stateDirectory: String, demo: Bool) -> String {
        stateDirectory + (demo ? "/demo-usage.sqlite" : "/usage.sqlite")
    }

    var usagePath: String { Self.usagePath(stateDirectory: stateDirectory, demo: demo) }

    /// The key store `qlp keys` writes and the gateway reads (`qlp keys --demo` for the demo's).
    static func keysPath(stateDirectory: String, demo: Bool) -> String {
        stateDirectory + (demo ? "/demo-keys.sqlite" : "/keys.sqlite")
    }

    var keysPath: String { Self.keysPath(stateDirectory: stateDirectory, demo: demo) }

    /// Opens the key store and the ledger (unless turned off); a file that
    /// cannot be opened stops the gateway with its path and why.
    func open() throws(StoreError) -> GatewayAccounting {
        let keyStore = try SQLiteKeyStore(path: keysPath)
        let ledger =
            usageLedger
            ? try SQLiteUsageLedger(path: usagePath, retention: TimeInterval(usageRetention.components.seconds))
            : nil
        return GatewayAccounting(keyStore: keyStore, ledger: ledger, timeZone: timeZone, currency: currency)
    }
}
