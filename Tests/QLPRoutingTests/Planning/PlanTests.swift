import Foundation
import QLPTestSupport
import Testing

@testable import QLPRouting

@Suite struct PlanTests {
    let healthy: (String) -> TargetHealth = { _ in TargetHealth() }

    @Test func chainIsPrimaryThenOtherSharesThenFallbackEachOnce() {
        let routes = CompiledRoutes(table: RoutingFixture.table())
        let plan = routes.plan(RouteResolution(route: "chat"), tick: 0, maxAttempts: 10, health: healthy)
        #expect(RoutingFixture.names(plan) == ["gpt4", "gpt35", "llama3", "mistral"])
        let code = routes.plan(RouteResolution(route: "code"), tick: 0, maxAttempts: 10, health: healthy)
        #expect(RoutingFixture.names(code) == ["codellama", "gpt4", "gpt35"])
    }

    @Test func attemptsAreCappedAndUnavailableTargetsSkipped() {
        let routes = CompiledRoutes(table: RoutingFixture.table())
        let two = routes.plan(RouteResolution(route: "chat"), tick: 0, maxAttempts: 2, health: healthy)
        #expect(RoutingFixture.names(two) == ["gpt4", "gpt35"])
        let skipping = routes.plan(RouteResolution(route: "chat"), tick: 0, maxAttempts: 10) {
            TargetHealth(available: $0 != "gpt35")
        }
        #expect(RoutingFixture.names(skipping) == ["gpt4", "llama3", "mistral"])
        #expect(routes.plan(RouteResolution(route: "chat"), tick: 0, maxAttempts: 0, health: healthy).isEmpty)
    }

    @Test func everyTargetUnavailableStillTriesTheNonDrainedOnesInOrder() {
        let routes = CompiledRoutes(table: RoutingFixture.table(drained: ["gpt35"]))
        let plan = routes.plan(RouteResolution(route: "chat"), tick: 0, maxAttempts: 3) { _ in TargetHealth(available: false) }
        #expect(RoutingFixture.names(plan) == ["gpt4", "llama3", "mistral"])
    }

    @Test func unknownRouteGivesAnEmptyPlan() {
        let routes = CompiledRoutes(table: RoutingFixture.table())
        #expect(routes.plan(RouteResolution(route: "nope"), tick: 0, maxAttempts: 3, health: healthy).isEmpty)
    }

    @Test func resolvesRoutesTargetsAndModelNames() {
        let routes = CompiledRoutes(table: RoutingFixture.table())
        #expect(routes.routeNames == ["chat", "code", "embeddings"])
        #expect(routes.resolve(model: "chat") == RouteResolution(route: "chat"))
        // A route name wins over the target of the same name.
        #expect(routes.resolve(model: "embeddings") == RouteResolution(route: "embeddings"))
        #expect(routes.resolve(model: "gpt-4") == RouteResolution(route: "chat", pinnedTarget: "gpt4"))
        #expect(routes.resolve(model: "gpt35") == RouteResolution(route: "chat", pinnedTarget: "gpt35"))
        #expect(routes.resolve(model: "codellama") == RouteResolution(route: "code", pinnedTarget: "codellama"))
        #expect(routes.resolve(model: "mistral") == RouteResolution(route: "chat", pinnedTarget: "mistral"))
        #expect(routes.resolve(model: "gpt-5") == nil)
    }

    @Test func pinnedTargetGoesFirstThenTheRouteChain() {
        let routes = CompiledRoutes(table: RoutingFixture.table())
        let pinned = try! #require(routes.resolve(model: "gpt-3.5-turbo"))
        let plan = routes.plan(pinned, tick: 0, maxAttempts: 10, health: healthy)
        #expect(RoutingFixture.names(plan) == ["gpt35", "gpt4", "llama3", "mistral"])
        let drainedPin = CompiledRoutes(table: RoutingFixture.table(drained: ["gpt35"]))
        #expect(
            RoutingFixture.names(drainedPin.plan(pinned, tick: 0, maxAttempts: 10, health: healthy))
                == ["gpt4", "llama3", "mistral"])
    }

    /// Property: over many random tables, healths, ticks and bounds a plan never
    /// repeats a target, never holds a drained one, never exceeds the bound,
    /// and holds only available targets whenever any candidate is available.
    @Test func plansNeverRepeatNeverDrainNeverExceedTheBound() {
        var random = SeededGenerator(seed: 0x5EED_0004)
        let names = ["a", "b", "c", "d", "e", "f"]
        for _ in 0..<2_000 {
            let targets = names.map { RoutingFixture.target($0, input: Decimal(Int.random(in: 0...5, using: &random))) }
            let shareNames = names.shuffled(using: &random).prefix(Int.random(in: 1...4, using: &random))
            var weights = shareNames.map { _ in Int.random(in: 0...10, using: &random) }
            weights[0] += max(0, 100 - weights.reduce(0, +))
            let shares = zip(shareNames, weights).map { Route.Share(target: $0, weight: $1) }
            // Fallbacks may repeat shares and each other: the plan must still not.
            let fallback = (0..<Int.random(in: 0...5, using: &random)).map { _ in names.randomElement(using: &random)! }
            let policy = Route.Policy.allCases.randomElement(using: &random)!
            let drained = names.filter { _ in Int.random(in: 0..<4, using: &random) == 0 }
            let table = RouteTable(
                version: 1, targets: targets,
                routes: [
                    Route(
                        name: "r", policy: policy, shares: shares, fallback: fallback,
                        latencySLOMilliseconds: Bool.random(using: &random) ? 300 : nil)
                ],
                drained: drained)
            let down = Set(names.filter { _ in Bool.random(using: &random) })
            let latency = Dictionary(
                uniqueKeysWithValues: names.map { ($0, Bool.random(using: &random) ? Double.random(in: 10...900, using: &random) : nil) })
            let routes = CompiledRoutes(table: table)
            let maxAttempts = Int.random(in: 1...6, using: &random)
            let pinned = Bool.random(using: &random) ? names.randomElement(using: &random) : nil
            let plan = routes.plan(
                RouteResolution(route: "r", pinnedTarget: pinned), tick: Int.random(in: 0...1_000, using: &random),
                maxAttempts: maxAttempts
            ) { TargetHealth(available: !down.contains($0), latencyMilliseconds: latency[$0] ?? nil) }
            let planned = RoutingFixture.names(plan)
            #expect(Set(planned).count == planned.count, "repeat in \(planned)")
            #expect(planned.count <= maxAttempts)
            #expect(planned.allSatisfy { !drained.contains($0) }, "drained in \(planned), drained \(drained)")
            let candidates = Set(shares.filter { $0.weight > 0 }.map(\.target) + fallback + (pinned.map { [$0] } ?? []))
                .subtracting(drained)
            if candidates.contains(where: { !down.contains($0) }) {
                #expect(!planned.isEmpty && planned.allSatisfy { !down.contains($0) })
            } else {
                #expect(planned.count == min(maxAttempts, candidates.count))
            }
        }
    }
}
