import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Synchronization
import Testing

/// Azure's limits kept, measured from the emulator's side of the wire.
@Suite struct ThrottlingTests {
    /// An emulator on real time (the request log must show real gaps), with the
    /// client stack behind a ThrottlingTransport.
    struct Rig {
        let emulator: AzureEmulator
        let transport: CurlTransport
        let client: CostManagementClient
        let scope: String

        static func start(
            tokenLifetime: Duration = .seconds(3599), pageSize: Int = 1000, policy: ThrottlingPolicy = .standard,
            clock: @escaping @Sendable () -> Date = { Date() }
        ) async throws -> Rig {
            let firstDay = CivilDate(clock(), in: TimeZone(identifier: "UTC")!).firstOfMonth.adding(months: -1)
            let configuration = EmulatorConfiguration(
                world: CostWorld(seed: 3, firstDay: firstDay), costPageSize: pageSize,
                tokenLifetime: tokenLifetime, clock: clock)
            let emulator = AzureEmulator(configuration: configuration)
            let base = try await emulator.start()
            let transport = CurlTransport()
            let throttled = ThrottlingTransport(wrapping: transport, policy: policy, clock: clock)
            let credential = ClientSecretCredential(
                authority: base, tenantID: configuration.tenantID, clientID: configuration.clientID,
                clientSecret: Secret(configuration.clientSecret), transport: throttled, clock: clock)
            let client = CostManagementClient(
                transport: throttled, tokens: TokenCache(source: credential, clock: clock), management: base,
                tokenScope: AzureEndpoints.publicCloud.managementScope)
            return Rig(emulator: emulator, transport: transport, client: client, scope: "subscriptions/\(configuration.subscriptionID)")
        }

        func stop() async {
            transport.shutdown()
            await emulator.stop()
        }

        /// Runs `body` and always stops the rig.
        func run(_ body: (Rig) async throws -> Void) async throws {
            do {
                try await body(self)
            } catch {
                await stop()
                throw error
            }
            await stop()
        }
    }

    @Test func retryAfterHoldsEveryRequestToTheHostThenDataResumes() async throws {
        try await Rig.start().run { rig in
            let day = CivilDate(Date(), in: TimeZone(identifier: "UTC")!)
            _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day)  // signed in, one good query

            rig.emulator.faults.set(EndpointFault(status: 429, retryAfterSeconds: 5, remaining: 1), for: .costQuery)
            let throttledAt = Date()
            await #expect(throws: AzureError.self) { _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day) }
            // An impatient caller (the r key, a report) inside the window is answered
            // by qlp itself: nothing is sent.
            for _ in 0..<3 {
                do {
                    _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day)
                    Issue.record("a held request must not succeed")
                } catch {
                    guard case .throttled(_, _, let retryAfter, _)? = error as? AzureError else {
                        Issue.record("expected throttled, got \(error)")
                        return
                    }
                    #expect(retryAfter <= .seconds(5))
                }
                try await Task.sleep(for: .milliseconds(500))
            }
            // The request log: the good query, the throttled one, then nothing
            // for the five seconds Cost Management asked for.
            let arrivals = rig.emulator.statistics.arrivals(at: .costQuery)
            #expect(arrivals.count == 2, "requests reached the emulator while it asked to wait: \(arrivals)")
            let throttledArrival = try #require(arrivals.last)
            #expect(throttledArrival >= throttledAt)

            try await Task.sleep(until: .now + .seconds(5) - .milliseconds(1400))
            let resumed = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day)
            #expect(!resumed.costs.isEmpty)
            let after = rig.emulator.statistics.arrivals(at: .costQuery)
            #expect(after.count == 3)
            #expect(after[2].timeIntervalSince(throttledArrival) >= 5)
        }
    }

    /// Cost Management sometimes says how long to wait only in its own
    /// headers (entity, tenant...): those hold the host just the same.
    @Test(arguments: ["tenant", "entity"])
    func costManagementsOwnRetryHeaderAloneHoldsTheHost(header: String) async throws {
        try await Rig.start().run { rig in
            let day = CivilDate(Date(), in: TimeZone(identifier: "UTC")!)
            _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day)
            rig.emulator.faults.set(EndpointFault(status: 429, retryAfterSeconds: 2, remaining: 1, retryHeader: header), for: .costQuery)
            await #expect(throws: AzureError.self) { _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day) }
            do {
                _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day)
                Issue.record("a request inside the window must be held")
            } catch {
                guard case .throttled(_, _, let wait, _)? = error as? AzureError else {
                    Issue.record("expected throttled, got \(error)")
                    return
                }
                #expect(wait > .zero && wait <= .seconds(2))
            }
            #expect(rig.emulator.statistics.arrivals(at: .costQuery).count == 2)
            try await Task.sleep(for: .milliseconds(2100))
            _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day)
            #expect(rig.emulator.statistics.arrivals(at: .costQuery).count == 3)
        }
    }

    @Test func shortLivedTokensOverThreeMinutesOfPollingMeanOneSignInPerRenewalAndNo401() async throws {
        // Three minutes of polling on a clock the test moves, so the run takes seconds.
        let now = Mutex(Date())
        // The Cost Management budget is lifted here: this test is about tokens.
        try await Rig.start(
            tokenLifetime: .seconds(60), policy: ThrottlingPolicy(costManagementBudgetPerMinute: 10_000),
            clock: { now.withLock { $0 } }
        ).run { rig in
            let day = CivilDate(now.withLock { $0 }, in: TimeZone(identifier: "UTC")!)
            var cycles = 0
            for _ in 0..<18 {
                // 50 callers at once, as pollers and a report might be.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<50 {
                        group.addTask { _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day) }
                    }
                    try await group.waitForAll()
                }
                cycles += 1
                now.withLock { $0 = $0.addingTimeInterval(10) }
            }
            #expect(cycles == 18)
            #expect(rig.emulator.statistics.responses(from: .costQuery, status: 401) == 0)
            #expect(rig.emulator.statistics.responses(from: .costQuery, status: 200) == 900)
            // A 60-second token is renewed at half its life: at 0, 30, 60, ... 150 s.
            #expect(rig.emulator.statistics.requests(to: .token) == 6)
        }
    }

    @Test func thePerMinuteBudgetKeepsThePollLoopInsideCostManagementsQuota() async throws {
        let now = Mutex(Date())
        try await Rig.start(
            policy: ThrottlingPolicy(costManagementBudgetPerMinute: 4, maxBudgetWait: .seconds(0)),
            clock: { now.withLock { $0 } }
        ).run { rig in
            let day = CivilDate(now.withLock { $0 }, in: TimeZone(identifier: "UTC")!)
            for _ in 0..<4 { _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day) }
            await #expect(throws: AzureError.self) { _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day) }
            #expect(rig.emulator.statistics.requests(to: .costQuery) == 4, "the fifth query in the minute was never sent")
            now.withLock { $0 = $0.addingTimeInterval(61) }
            _ = try await rig.client.dailyCostsByService(scope: rig.scope, from: day, to: day)
            #expect(rig.emulator.statistics.requests(to: .costQuery) == 5)
        }
    }

    @Test func aQuerySplitOverFivePagesSumsLikeOnePage() async throws {
        try await withHarness(pageSize: 100_000) { one in
            let plan = try EmulatorHarness.examplePlan()
            let today = CivilDate(EmulatorHarness.clock, in: TimeZone(identifier: "UTC")!)
            let whole = try await one.client.dailyCostsByService(scope: one.scope, from: plan.creditPeriod.first, to: today)
            #expect(whole.pages == 1)
            let rows = whole.costs.count
            try await withHarness(pageSize: (rows + 4) / 5) { five in
                let split = try await five.client.dailyCostsByService(scope: five.scope, from: plan.creditPeriod.first, to: today)
                #expect(split.pages == 5)
                #expect(split.costs == whole.costs)
                let a = BudgetOverview(plan: plan, costs: whole.costs, today: today)
                let b = BudgetOverview(plan: plan, costs: split.costs, today: today)
                #expect(a == b)
                #expect(a.credit.spent == b.credit.spent)
            }
        }
    }
}
