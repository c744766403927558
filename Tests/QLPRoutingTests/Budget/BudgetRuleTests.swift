import Foundation
import Testing

@testable import QLPRouting

@Suite struct BudgetRuleTests {
    let rule = RoutingFixture.openAIRule

    @Test func firesAtItsPercentUnlessSuspended() {
        #expect(BudgetRuleEvaluation.active([rule], suspended: [], percentSpent: ["azure_openai": 94.99]).isEmpty)
        #expect(BudgetRuleEvaluation.active([rule], suspended: [], percentSpent: ["azure_openai": 95]) == [rule])
        #expect(BudgetRuleEvaluation.active([rule], suspended: [], percentSpent: ["azure_openai": 130]) == [rule])
        #expect(BudgetRuleEvaluation.active([rule], suspended: ["openai_over_95"], percentSpent: ["azure_openai": 130]).isEmpty)
        #expect(BudgetRuleEvaluation.active([rule], suspended: [], percentSpent: ["compute": 130]).isEmpty)
    }

    @Test func activeRuleMovesTheRouteExceptForExemptPinnedRequests() {
        let routes = CompiledRoutes(table: RoutingFixture.table(), activeRules: [rule])
        for tick in 0..<100 {
            let plan = routes.plan(RouteResolution(route: "chat"), tick: tick, maxAttempts: 10) { _ in TargetHealth() }
            #expect(plan.first?.name == "llama3")
            #expect(Set(plan.map(\.name)).count == plan.count)
        }
        // Asking for gpt-4 is exempt: it keeps its target.
        let gpt4 = try! #require(routes.resolve(model: "gpt-4"))
        #expect(routes.plan(gpt4, tick: 0, maxAttempts: 10) { _ in TargetHealth() }.first?.name == "gpt4")
        // Asking for gpt-3.5 is not: it moves, with its own target next.
        let gpt35 = try! #require(routes.resolve(model: "gpt-35-turbo"))
        #expect(
            RoutingFixture.names(routes.plan(gpt35, tick: 0, maxAttempts: 3) { _ in TargetHealth() })
                == ["llama3", "gpt35", "gpt4"])
        // Other routes are untouched.
        #expect(routes.plan(RouteResolution(route: "code"), tick: 0, maxAttempts: 1) { _ in TargetHealth() }.first?.name == "codellama")
    }

    @Test func ruleTargetStillSubjectToDrainAndHealth() {
        let down = CompiledRoutes(table: RoutingFixture.table(), activeRules: [rule])
            .plan(RouteResolution(route: "chat"), tick: 0, maxAttempts: 10) { TargetHealth(available: $0 != "llama3") }
        #expect(RoutingFixture.names(down) == ["gpt4", "gpt35", "mistral"])
        let drained = CompiledRoutes(table: RoutingFixture.table(drained: ["llama3"]), activeRules: [rule])
            .plan(RouteResolution(route: "chat"), tick: 0, maxAttempts: 10) { _ in TargetHealth() }
        #expect(RoutingFixture.names(drained) == ["gpt4", "gpt35", "mistral"])
    }
}
