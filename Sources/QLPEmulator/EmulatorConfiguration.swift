import Foundation
import QLPCore

/// What the emulator pretends to be: which tenant, which service principal,
/// which subscription, and how its data and tokens behave.
public struct EmulatorConfiguration: Sendable {
    public var tenantID: String
    public var clientID: String
    public var clientSecret: String
    public var subscriptionID: String
    public var world: CostWorld
    /// Rows per Cost Management page before a nextLink (Azure uses 1000-5000).
    public var costPageSize: Int
    /// Lifetime of issued tokens (Entra ID: about an hour).
    public var tokenLifetime: Duration
    /// The emulator's clock; tests pin it.
    public var clock: @Sendable () -> Date

    public init(tenantID: String = EmulatorConfiguration.demoTenantID,
                clientID: String = EmulatorConfiguration.demoClientID,
                clientSecret: String = EmulatorConfiguration.demoClientSecret,
                subscriptionID: String = EmulatorConfiguration.demoSubscriptionID,
                world: CostWorld, costPageSize: Int = 1000, tokenLifetime: Duration = .seconds(3599),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.subscriptionID = subscriptionID
        self.world = world
        self.costPageSize = max(1, costPageSize)
        self.tokenLifetime = tokenLifetime
        self.clock = clock
    }

    public static let demoTenantID = "72f988bf-0000-4000-8000-00000000demo"
    public static let demoClientID = "535fb089-9ff3-47b6-9bfb-4f1264799865"
    /// Not a secret: the emulator's own demo credential, valid only against it.
    public static let demoClientSecret = "qlp-emulator-demo-credential"
    public static let demoSubscriptionID = "00000000-0000-4000-8000-0000000000de"
}
