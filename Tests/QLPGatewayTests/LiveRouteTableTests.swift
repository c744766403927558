import QLPRouting
import Testing

@testable import QLPGateway

@Suite struct LiveRouteTableTests {
    @Test func aReaderKeepsTheSnapshotItLoadedAcrossAPublish() {
        let first = RouteTable(version: 1, targets: [], routes: [])
        let live = LiveRouteTable(first)
        let held = live.snapshot
        live.publish(RouteTable(version: 2, targets: [], routes: []))
        #expect(held.table.version == 1)
        #expect(live.snapshot.table.version == 2)
    }
}

@Suite struct LiveRouteTableCompiledTests {
    static let table = RouteTable(
        version: 1,
        targets: [
            RouteTarget(
                name: "a", backend: .ollama, endpoint: "http://127.0.0.1:1", upstreamModel: "m",
                inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 1),
            RouteTarget(
                name: "b", backend: .ollama, endpoint: "http://127.0.0.1:1", upstreamModel: "m",
                inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 1),
        ],
        routes: [
            Route(
                name: "chat", policy: .weighted, shares: [.init(target: "a", weight: 50), .init(target: "b", weight: 50)],
                fallback: [])
        ],
        budgetRules: [
            BudgetRoutingRule(
                name: "r", category: "azure_openai", atPercent: 95, route: "chat", sendTo: "b",
                exceptTargets: [])
        ])

    @Test func theSnapshotCarriesTheCompiledRoutesAndPublishKeepsActiveRules() {
        let live = LiveRouteTable(Self.table, activeRules: Self.table.budgetRules)
        #expect(live.snapshot.compiled.resolve(model: "chat")?.route == "chat")
        #expect(live.snapshot.compiled.activeRules == Self.table.budgetRules)
        var next = Self.table
        next.version = 2
        live.publish(next)
        #expect(live.snapshot.table.version == 2)
        #expect(live.snapshot.compiled.activeRules == Self.table.budgetRules, "a table change keeps the rules in force")
        live.publish(next, activeRules: [])
        #expect(live.snapshot.compiled.activeRules.isEmpty)
    }

    @Test func routeTicksCountPerRouteAndSurviveASwap() {
        let live = LiveRouteTable(Self.table)
        #expect(live.ticks.next("chat") == 0)
        #expect(live.ticks.next("chat") == 1)
        #expect(live.ticks.next("code") == 0)
        live.publish(Self.table)
        #expect(live.ticks.next("chat") == 2)
    }
}
