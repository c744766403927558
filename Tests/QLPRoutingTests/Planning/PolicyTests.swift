import Testing

@testable import QLPRouting

@Suite struct PolicyTests {
    func routes(_ policy: Route.Policy, slo: Int? = nil) -> CompiledRoutes {
        var table = RoutingFixture.table(chatPolicy: policy)
        table.routes[0].latencySLOMilliseconds = slo
        return CompiledRoutes(table: table)
    }

    func plan(_ routes: CompiledRoutes, _ health: [String: TargetHealth]) -> [String] {
        RoutingFixture.names(routes.plan(RouteResolution(route: "chat"), tick: 5, maxAttempts: 10) { health[$0] ?? TargetHealth() })
    }

    @Test func priorityTakesTheFirstAvailableShare() {
        let chat = routes(.priority)
        #expect(plan(chat, [:]) == ["gpt4", "gpt35", "llama3", "mistral"])
        #expect(plan(chat, ["gpt4": TargetHealth(available: false)]) == ["gpt35", "llama3", "mistral"])
    }

    @Test func costTakesTheCheapestTargetMeetingTheSLO() {
        let chat = routes(.cost, slo: 800)
        // llama3 is free but too slow; gpt35 is the cheapest that meets 800 ms.
        let health = [
            "llama3": TargetHealth(latencyMilliseconds: 1_500), "gpt35": TargetHealth(latencyMilliseconds: 400),
            "gpt4": TargetHealth(latencyMilliseconds: 700),
        ]
        #expect(plan(chat, health) == ["gpt35", "gpt4", "llama3", "mistral"])
        // Unmeasured counts as meeting the SLO.
        #expect(plan(chat, [:]).first == "llama3")
        // None meets it: the cheapest available.
        let slow = [
            "llama3": TargetHealth(latencyMilliseconds: 1_500), "gpt35": TargetHealth(latencyMilliseconds: 900),
            "gpt4": TargetHealth(latencyMilliseconds: 2_000),
        ]
        #expect(plan(chat, slow).first == "llama3")
        // The cheapest is down: the next cheapest that meets the SLO.
        var down = health
        down["gpt35"] = TargetHealth(available: false, latencyMilliseconds: 400)
        #expect(plan(chat, down).first == "gpt4")
        // Without an SLO, cost alone.
        #expect(plan(routes(.cost), health).first == "llama3")
    }

    @Test func latencyExploresUnmeasuredTargetsThenTakesTheFastest() {
        let chat = routes(.latency)
        #expect(
            plan(chat, ["gpt4": TargetHealth(latencyMilliseconds: 100), "gpt35": TargetHealth(latencyMilliseconds: 50)])
                == ["llama3", "gpt35", "gpt4", "mistral"])
        let measured = [
            "gpt4": TargetHealth(latencyMilliseconds: 100), "gpt35": TargetHealth(latencyMilliseconds: 250),
            "llama3": TargetHealth(latencyMilliseconds: 90),
        ]
        #expect(plan(chat, measured) == ["llama3", "gpt4", "gpt35", "mistral"])
        var slowLlama = measured
        slowLlama["llama3"] = TargetHealth(available: false, latencyMilliseconds: 90)
        #expect(plan(chat, slowLlama).first == "gpt4")
    }
}
