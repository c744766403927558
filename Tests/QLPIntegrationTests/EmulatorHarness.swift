import Foundation
import QLPAzure
import QLPConfig
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP

/// An emulator on a free loopback port with a pinned clock, and the real
/// client stack (libcurl transport, Entra token cache, Cost Management client)
/// pointed at it. `stop()` must be called; tests use `withHarness`.
struct EmulatorHarness {
    static let clock = CivilDate(year: 2026, month: 11, day: 26)!.startInstant(in: TimeZone(identifier: "UTC")!)
        .addingTimeInterval(17 * 3600 + 42 * 60)
    static let firstDay = CivilDate(year: 2026, month: 10, day: 1)!

    let emulator: AzureEmulator
    let base: String
    let transport: CurlTransport
    let tokens: TokenCache
    let client: CostManagementClient

    static func start(pageSize: Int = 200, timeout: Duration = .seconds(10), world: CostWorld? = nil) async throws -> EmulatorHarness {
        let configuration = EmulatorConfiguration(
            world: world ?? CostWorld(seed: 42, firstDay: firstDay), costPageSize: pageSize,
            clock: { clock })
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let transport = CurlTransport()
        let credential = ClientSecretCredential(
            authority: base, tenantID: configuration.tenantID, clientID: configuration.clientID,
            clientSecret: Secret(configuration.clientSecret), transport: transport,
            clock: { clock })
        let tokens = TokenCache(source: credential, clock: { clock })
        let client = CostManagementClient(
            transport: transport, tokens: tokens, management: base,
            tokenScope: AzureEndpoints.publicCloud.managementScope, timeout: timeout)
        return EmulatorHarness(emulator: emulator, base: base, transport: transport, tokens: tokens, client: client)
    }

    var scope: String { "subscriptions/\(emulator.configuration.subscriptionID)" }

    func stop() async {
        transport.shutdown()
        await emulator.stop()
    }

    /// The repository's example config: the mapping under test is the one users get.
    static func exampleConfiguration() throws -> QLPConfiguration {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../config/qlp.yaml").standardized.path
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        return try ConfigParser(environment: ["HOME": "/tmp"], requireAzure: false).parse(yaml: yaml, file: path)
    }

    static func examplePlan() throws -> BudgetPlan {
        var plan = try exampleConfiguration().budget
        plan.creditPeriod = DayRange(firstDay, CivilDate(year: 2027, month: 9, day: 30)!)!
        return plan
    }
}

/// Runs `body` with a started harness and always stops it.
func withHarness(
    pageSize: Int = 200, timeout: Duration = .seconds(10), world: CostWorld? = nil,
    _ body: (EmulatorHarness) async throws -> Void
) async throws {
    let harness = try await EmulatorHarness.start(pageSize: pageSize, timeout: timeout, world: world)
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}
