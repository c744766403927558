import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Synchronization
import Testing

@testable import QLPFeed

/// The cost panel through failure and back: 500, malformed JSON, a hang, a
/// throttle, then health. Last good data stays, marked stale with the reason.
@Suite struct FaultRecoveryTests {
    @Test func panelGoesStaleWithTheReasonAndRecovers() async throws {
        // The harness's client waits 10 s for a page (the whole suite can keep a page busy for seconds);
        // the hang step uses a second poller whose client gives up after 1 s.
        try await withHarness(pageSize: 400) { h in
            let plan = try EmulatorHarness.examplePlan()
            let identity = DashboardIdentity(
                subscriptionID: h.emulator.configuration.subscriptionID, resourceGroup: "rg",
                isDemo: true, configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(DashboardState(identity: identity, plan: plan, costRefresh: .seconds(30)))
            let poller = CostPoller(
                client: h.client, scope: h.scope, store: store, history: nil, interval: .seconds(30),
                wake: WakeSignal(), clock: { EmulatorHarness.clock })
            let impatient = CostManagementClient(
                transport: h.transport, tokens: h.tokens, management: h.base,
                tokenScope: AzureEndpoints.publicCloud.managementScope, timeout: .seconds(1))
            let hangPoller = CostPoller(
                client: impatient, scope: h.scope, store: store, history: nil, interval: .seconds(30),
                wake: WakeSignal(), clock: { EmulatorHarness.clock })
            var schedule = poller.startingSchedule

            #expect(
                await poller.refreshRecordingFailure(schedule: &schedule) == .seconds(30),
                "\(store.state.cost.problem?.detail ?? "")")
            let good = try #require(store.state.cost.value?.overview.credit.spent)
            #expect(store.state.cost.problem == nil)

            h.emulator.faults.set(EndpointFault(status: 500), for: .costQuery)
            #expect(await poller.refreshRecordingFailure(schedule: &schedule) == .seconds(15))
            #expect(store.state.cost.problem?.summary == "HTTP 500 InternalServerError")
            #expect(store.state.cost.value?.overview.credit.spent == good, "last good data kept")
            #expect(store.state.cost.staleness(now: EmulatorHarness.clock) == "HTTP 500 InternalServerError")

            h.emulator.faults.set(EndpointFault(malformedBody: true), for: .costQuery)
            _ = await poller.refreshRecordingFailure(schedule: &schedule)
            #expect(store.state.cost.problem?.summary == "malformed response")
            #expect(store.state.cost.problem?.detail.contains("truncated") == true)

            h.emulator.faults.set(EndpointFault(wrongContentType: true), for: .costQuery)
            _ = await poller.refreshRecordingFailure(schedule: &schedule)
            #expect(store.state.cost.problem?.summary == "malformed response")
            #expect(store.state.cost.problem?.detail.contains("expected JSON, got text/html") == true)

            h.emulator.faults.set(EndpointFault(hang: true), for: .costQuery)
            let started = ContinuousClock.now
            _ = await hangPoller.refreshRecordingFailure(schedule: &schedule)
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(store.state.cost.problem?.summary == "timed out after 1 s")

            h.emulator.faults.set(EndpointFault(status: 429, retryAfterSeconds: 42), for: .costQuery)
            #expect(await poller.refreshRecordingFailure(schedule: &schedule) == .seconds(42) + .milliseconds(500))
            #expect(store.state.cost.problem?.summary == "throttled for 42 s")
            #expect(store.state.cost.problem?.throttledUntil == EmulatorHarness.clock.addingTimeInterval(42))

            h.emulator.faults.clearAll()
            #expect(await poller.refreshRecordingFailure(schedule: &schedule) == .seconds(30))
            #expect(schedule.failures == 0)
            #expect(store.state.cost.problem == nil)
            #expect(store.state.cost.staleness(now: EmulatorHarness.clock) == nil)
            #expect(store.state.cost.value?.overview.credit.spent == good)
        }
    }

    /// Entra ID throttling the token request twice, then answering: the
    /// credential waits out each Retry-After and gets its token (it failed at
    /// the first 429 before); throttled three times, it fails naming the 429.
    @Test func aThrottledTokenRequestIsAskedAgain() async throws {
        try await withHarness { h in
            let credential = ClientSecretCredential(
                authority: h.base, tenantID: h.emulator.configuration.tenantID,
                clientID: h.emulator.configuration.clientID,
                clientSecret: Secret(EmulatorConfiguration.demoClientSecret), transport: h.transport)
            h.emulator.faults.set(EndpointFault(status: 429, retryAfterSeconds: 1, remaining: 2), for: .token)
            let token = try await credential.fetchToken(scope: AzureEndpoints.publicCloud.managementScope)
            #expect(!token.token.reveal().isEmpty)
            #expect(h.emulator.statistics.responses(from: .token, status: 429) == 2)

            h.emulator.faults.set(EndpointFault(status: 429, retryAfterSeconds: 1, remaining: 3), for: .token)
            await #expect { _ = try await credential.fetchToken(scope: AzureEndpoints.publicCloud.managementScope) } throws: {
                "\($0)".contains("429")
            }
        }
    }

    @Test func wrongSecretNamesTheAADSTSCodeAndRemedy() async throws {
        try await withHarness { h in
            let credential = ClientSecretCredential(
                authority: h.base, tenantID: h.emulator.configuration.tenantID,
                clientID: h.emulator.configuration.clientID, clientSecret: Secret("wrong-secret"),
                transport: h.transport)
            do {
                _ = try await credential.fetchToken(scope: AzureEndpoints.publicCloud.managementScope)
                Issue.record("a wrong secret must fail")
            } catch {
                #expect("\(error)".contains("AADSTS7000215"))
                #expect("\(error)".contains("AZURE_CLIENT_SECRET"))
                #expect(!"\(error)".contains("wrong-secret"))
            }
        }
    }

    @Test func aTokenAzureCallsExpiredIsDroppedAndReplaced() async throws {
        // The emulator's clock runs ahead of ours (clock skew): our cache still
        // trusts a token Azure already calls expired.
        let emulatorNow = Mutex(EmulatorHarness.clock)
        let configuration = EmulatorConfiguration(
            world: CostWorld(seed: 1, firstDay: EmulatorHarness.firstDay),
            tokenLifetime: .seconds(600), clock: { emulatorNow.withLock { $0 } })
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let tokens = TokenCache(
            source: ClientSecretCredential(
                authority: base, tenantID: configuration.tenantID,
                clientID: configuration.clientID,
                clientSecret: Secret(configuration.clientSecret), transport: transport,
                clock: { EmulatorHarness.clock }),
            clock: { EmulatorHarness.clock })
        let client = CostManagementClient(
            transport: transport, tokens: tokens, management: base,
            tokenScope: AzureEndpoints.publicCloud.managementScope)
        let scope = "subscriptions/\(configuration.subscriptionID)"
        let day = CivilDate(EmulatorHarness.clock, in: TimeZone(identifier: "UTC")!)
        do {
            _ = try await client.dailyCostsByService(scope: scope, from: day, to: day)
            _ = try await client.dailyCostsByService(scope: scope, from: day, to: day)
            #expect(emulator.statistics.requests(to: .token) == 1, "a fresh token is reused")

            emulatorNow.withLock { $0 = $0.addingTimeInterval(601) }
            do {
                _ = try await client.dailyCostsByService(scope: scope, from: day, to: day)
                Issue.record("an expired token must be refused")
            } catch {
                #expect(summary(of: error) == "HTTP 401 ExpiredAuthenticationToken")
            }
            _ = try await client.dailyCostsByService(scope: scope, from: day, to: day)
            #expect(emulator.statistics.requests(to: .token) == 2, "the refused token was replaced")
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}

/// The panel summary of an Azure failure (nil for anything else).
func summary(of error: any Error) -> String? { (error as? AzureError)?.summary }
