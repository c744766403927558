import Testing

@testable import QLPRouting

@Suite struct RouteChangeTests {
    let table = RoutingFixture.table()

    func error(_ change: RouteChange, on table: RouteTable? = nil) -> RouteChangeError? {
        do {
            _ = try (table ?? self.table).applying(change)
            return nil
        } catch {
            return error
        }
    }

    @Test func setWeightsAppliesAndBumpsTheVersion() throws {
        let weights = [Route.Share(target: "gpt4", weight: 20), .init(target: "gpt35", weight: 60), .init(target: "llama3", weight: 20)]
        let next = try table.applying(.setWeights(route: "chat", weights: weights))
        #expect(next.version == 2)
        #expect(next.route(named: "chat")?.shares == weights)
        #expect(
            RouteChange.setWeights(route: "chat", weights: weights).summary(before: table)
                == "chat weights: gpt4 40→20, gpt35 40→60")
    }

    @Test func setWeightsErrorsNameWhatIsWrong() {
        #expect(
            error(.setWeights(route: "chats", weights: [.init(target: "gpt4", weight: 100)]))
                == RouteChangeError(.notFound, "no route named 'chats'; routes: chat, code, embeddings"))
        #expect(
            error(.setWeights(route: "chat", weights: [.init(target: "gpt5", weight: 100)]))
                == RouteChangeError(.notFound, "no target named 'gpt5'; targets: gpt4, gpt35, embeddings, llama3, codellama, mistral"))
        #expect(
            error(.setWeights(route: "chat", weights: [.init(target: "gpt4", weight: 60), .init(target: "gpt35", weight: 30)]))?
                .message == "weights of route 'chat' sum to 90; a weighted route's weights sum to 100")
        #expect(
            error(.setWeights(route: "chat", weights: [.init(target: "gpt4", weight: 120), .init(target: "gpt35", weight: -20)]))?
                .message == "weight of 'gpt4' in route 'chat' is 120; a weight is 0 to 100 percentage points")
        #expect(
            error(.setWeights(route: "chat", weights: [.init(target: "gpt4", weight: 50), .init(target: "gpt4", weight: 50)]))?
                .message == "weights of route 'chat' list 'gpt4' twice")
        #expect(error(.setWeights(route: "chat", weights: []))?.message == "route 'chat' needs at least one weighted target")
        // A priority route's weights need not sum to 100.
        #expect(error(.setWeights(route: "embeddings", weights: [.init(target: "embeddings", weight: 1)])) == nil)
    }

    @Test func drainAndUndrain() throws {
        let drained = try table.applying(.drain(target: "gpt4"))
        #expect(drained.drained == ["gpt4"])
        #expect(RouteChange.drain(target: "gpt4").summary(before: table) == "drain gpt4 (out of chat, code)")
        #expect(error(.drain(target: "gpt4"), on: drained)?.message == "target 'gpt4' is already drained")
        #expect(error(.undrain(target: "gpt35"))?.message == "target 'gpt35' is not drained")
        #expect(error(.drain(target: "gpt5"))?.kind == .notFound)
        let back = try drained.applying(.undrain(target: "gpt4"))
        #expect(back.drained.isEmpty)
        #expect(back.version == 3)
        // The embeddings route has one target and no fallback.
        #expect(error(.drain(target: "embeddings"))?.message == "would leave route 'embeddings' with no target")
    }

    @Test func fallbackAndPolicy() throws {
        let next = try table.applying(.setFallback(route: "chat", order: ["mistral", "gpt35"]))
        #expect(next.route(named: "chat")?.fallback == ["mistral", "gpt35"])
        #expect(
            RouteChange.setFallback(route: "chat", order: ["mistral"]).summary(before: table)
                == "chat fallback: gpt35, llama3, mistral → mistral")
        #expect(
            error(.setFallback(route: "chat", order: ["mistral", "mistral"]))?.message
                == "fallback of route 'chat' lists 'mistral' twice")
        #expect(error(.setFallback(route: "chat", order: ["gpt5"]))?.kind == .notFound)
        let cost = try table.applying(.setPolicy(route: "chat", policy: .cost))
        #expect(cost.route(named: "chat")?.policy == .cost)
        #expect(RouteChange.setPolicy(route: "chat", policy: .cost).summary(before: table) == "chat policy: weighted → cost")
        let uneven = try table.applying(.setWeights(route: "embeddings", weights: [.init(target: "embeddings", weight: 5)]))
        #expect(
            error(.setPolicy(route: "embeddings", policy: .weighted), on: uneven)?.message
                == "route 'embeddings' cannot be weighted: its weights sum to 5, not 100; set weights first")
    }

    @Test func suspendAndResumeRules() throws {
        let suspended = try table.applying(.suspendRule(name: "openai_over_95", suspended: true))
        #expect(suspended.suspendedRules == ["openai_over_95"])
        #expect(
            error(.suspendRule(name: "openai_over_95", suspended: true), on: suspended)?.message
                == "budget rule 'openai_over_95' is already suspended")
        #expect(
            error(.suspendRule(name: "openai_over_95", suspended: false))?.message
                == "budget rule 'openai_over_95' is already in force")
        #expect(
            error(.suspendRule(name: "x", suspended: true))
                == RouteChangeError(.notFound, "no budget rule named 'x'; rules: openai_over_95"))
        #expect(try suspended.applying(.suspendRule(name: "openai_over_95", suspended: false)).suspendedRules.isEmpty)
    }

    @Test func restoreTakesTheOldContentAtTheNextVersion() throws {
        let changed = try table.applying(
            .setWeights(
                route: "chat",
                weights: [
                    .init(target: "gpt4", weight: 20), .init(target: "gpt35", weight: 60), .init(target: "llama3", weight: 20),
                ]))
        let drained = try changed.applying(.drain(target: "mistral"))
        let restored = try drained.applying(.restore(to: table))
        #expect(restored.version == 4)
        var expected = table
        expected.version = 4
        #expect(restored == expected)
        #expect(
            RouteChange.restore(to: table).summary(before: drained)
                == "restore the table of version 1: chat gpt4 20→40, chat gpt35 60→40, chat mistral drained→-")
    }

    @Test func diffListsWeightAndDrainChangesPerRoute() {
        let lines = RouteChange.drain(target: "gpt4").diff(before: table)
        #expect(
            lines == [
                RouteDiffLine(route: "chat", target: "gpt4", beforeWeight: 40, afterWeight: 40, beforeDrained: false, afterDrained: true),
                RouteDiffLine(route: "code", target: "gpt4", beforeWeight: 30, afterWeight: 30, beforeDrained: false, afterDrained: true),
            ])
        let weights = RouteChange.setWeights(
            route: "code", weights: [.init(target: "gpt4", weight: 0), .init(target: "codellama", weight: 100)])
        #expect(
            weights.diff(before: table) == [
                RouteDiffLine(route: "code", target: "gpt4", beforeWeight: 30, afterWeight: 0, beforeDrained: false, afterDrained: false),
                RouteDiffLine(
                    route: "code", target: "codellama", beforeWeight: 70, afterWeight: 100, beforeDrained: false, afterDrained: false),
            ])
        #expect(RouteChange.drain(target: "embeddings").diff(before: table).isEmpty)  // refused
        #expect(RouteChange.setPolicy(route: "chat", policy: .cost).diff(before: table).isEmpty)
    }
}
