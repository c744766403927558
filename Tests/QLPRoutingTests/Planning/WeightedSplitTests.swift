import Testing

@testable import QLPRouting

@Suite struct WeightedSplitTests {
    /// The first pick of each of `requests` consecutive ticks, by target name.
    func primaries(
        _ routes: CompiledRoutes, from start: Int = 0, requests: Int,
        health: (String) -> TargetHealth = { _ in TargetHealth() }
    ) -> [String] {
        (start..<(start + requests)).map { tick in
            routes.plan(RouteResolution(route: "r"), tick: tick, maxAttempts: 3, health: health).first?.name ?? "-"
        }
    }

    @Test func seventyThirtyZeroHoldsWithinOnePointInEveryWindowOfOneHundred() {
        let routes = CompiledRoutes(table: RoutingFixture.weighted([70, 30, 0]))
        // Start off the cycle boundary too: the windows slide over it.
        let picks = primaries(routes, from: 37, requests: 10_000)
        var worst = 0.0
        for start in 0...(picks.count - 100) {
            let window = picks[start..<(start + 100)]
            let a = window.filter { $0 == "a" }.count
            let b = window.filter { $0 == "b" }.count
            #expect(window.allSatisfy { $0 != "c" })
            worst = max(worst, abs(Double(a) - 70), abs(Double(b) - 30))
        }
        #expect(worst <= 1)
        let a = Double(picks.filter { $0 == "a" }.count) / 100
        let b = Double(picks.filter { $0 == "b" }.count) / 100
        #expect(abs(a - 70) <= 0.5)
        #expect(abs(b - 30) <= 0.5)
    }

    @Test func scheduleIsSmoothNotBlocky() {
        let routes = CompiledRoutes(table: RoutingFixture.weighted([70, 30, 0]))
        let schedule = routes.schedule(route: "r")
        #expect(schedule.count == 100)
        // Smooth: never more than three of "a" in a row for 70/30 (7:3 spread evenly).
        var run = 0
        var longest = 0
        for name in schedule + schedule {
            run = name == "a" ? run + 1 : 0
            longest = max(longest, run)
        }
        #expect(longest <= 3)
        // Every window of ten holds 7 (±1) picks of "a".
        for start in 0..<100 {
            let count = (start..<(start + 10)).filter { schedule[$0 % 100] == "a" }.count
            #expect((6...8).contains(count))
        }
    }

    @Test func otherSplitsHoldOverEveryWindowOfTheirCycle() {
        for weights in [[50, 30, 20], [40, 40, 20], [1, 99], [33, 33, 34], [100, 0], [10, 20, 30, 40]] {
            let routes = CompiledRoutes(table: RoutingFixture.weighted(weights))
            let picks = primaries(routes, requests: 1_000)
            for start in stride(from: 0, through: 900, by: 7) {
                let window = picks[start..<(start + 100)]
                for (index, weight) in weights.enumerated() {
                    let name = ["a", "b", "c", "d"][index]
                    #expect(window.filter { $0 == name }.count == weight, "weights \(weights) window at \(start)")
                }
            }
        }
    }

    @Test func drainedTargetGetsNothingAndTheRestKeepTheirProportion() {
        let routes = CompiledRoutes(table: RoutingFixture.weighted([50, 30, 20], fallback: ["b"], drained: ["b"]))
        var seen: [String: Int] = [:]
        for tick in 0..<7_000 {
            let plan = routes.plan(RouteResolution(route: "r"), tick: tick, maxAttempts: 5) { _ in TargetHealth() }
            #expect(!plan.contains { $0.name == "b" })
            seen[plan[0].name, default: 0] += 1
        }
        #expect(seen["b"] == nil)
        #expect(seen["a"] == 5_000)
        #expect(seen["c"] == 2_000)
    }

    @Test func unavailableScheduledTargetPassesItsTurnToTheNextInTheSchedule() {
        let routes = CompiledRoutes(table: RoutingFixture.weighted([70, 30, 0]))
        let picks = primaries(routes, requests: 1_000) { TargetHealth(available: $0 != "b") }
        #expect(picks.allSatisfy { $0 == "a" })
    }

    @Test func zeroWeightShareIsNeverPrimaryButIsAFallback() {
        let routes = CompiledRoutes(table: RoutingFixture.weighted([70, 30, 0], fallback: ["c"]))
        let picks = primaries(routes, requests: 200)
        #expect(!picks.contains("c"))
        let plan = routes.plan(RouteResolution(route: "r"), tick: 0, maxAttempts: 5) { _ in TargetHealth() }
        #expect(RoutingFixture.names(plan) == ["a", "b", "c"])
    }

    @Test func negativeAndHugeTicksStayInTheCycle() {
        let routes = CompiledRoutes(table: RoutingFixture.weighted([70, 30]))
        let plan = routes.plan(RouteResolution(route: "r"), tick: -1, maxAttempts: 1) { _ in TargetHealth() }
        #expect(plan.count == 1)
        let last = routes.plan(RouteResolution(route: "r"), tick: Int.max, maxAttempts: 1) { _ in TargetHealth() }
        #expect(last.count == 1)
    }
}
