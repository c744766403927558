import Testing

@testable import QLPRouting

/// A batch: several changes made in order as ONE version, refused whole.
@Suite struct RouteBatchTests {
    let table = RoutingFixture.table()
    let weights = [Route.Share(target: "gpt4", weight: 20), .init(target: "gpt35", weight: 60), .init(target: "llama3", weight: 20)]

    func error(_ change: RouteChange) -> RouteChangeError? {
        do {
            _ = try table.applying(change)
            return nil
        } catch {
            return error
        }
    }

    @Test func aBatchIsAppliedInOrderAsOneVersion() throws {
        let batch = RouteChange.batch([
            .setWeights(route: "chat", weights: weights), .drain(target: "mistral"),
            .setFallback(route: "chat", order: ["llama3"]),
        ])
        let next = try table.applying(batch)
        #expect(next.version == table.version + 1)
        #expect(next.route(named: "chat")?.shares == weights)
        #expect(next.drained == ["mistral"])
        #expect(next.route(named: "chat")?.fallback == ["llama3"])
        // The same table as the parts one by one, but one version on instead of three.
        var stepwise = table
        for part in [
            RouteChange.setWeights(route: "chat", weights: weights), .drain(target: "mistral"),
            .setFallback(route: "chat", order: ["llama3"]),
        ] {
            stepwise = try stepwise.applying(part)
        }
        #expect(stepwise.version == table.version + 3)
        stepwise.version = next.version
        #expect(stepwise == next)
    }

    /// Each part is made on the table the parts before it left: 90 points are
    /// fine once the route is by priority, and not before.
    @Test func eachPartSeesTheResultOfTheOnesBefore() throws {
        let ninety = RouteChange.setWeights(
            route: "chat",
            weights: [
                .init(target: "gpt4", weight: 90), .init(target: "gpt35", weight: 0),
                .init(target: "llama3", weight: 0),
            ])
        let next = try table.applying(.batch([.setPolicy(route: "chat", policy: .priority), ninety]))
        #expect(next.route(named: "chat")?.policy == .priority)
        #expect(next.route(named: "chat")?.shares.map(\.weight) == [90, 0, 0])
        #expect(
            error(.batch([ninety, .setPolicy(route: "chat", policy: .priority)]))
                == RouteChangeError(.invalid, "change 1 of 2: weights of route 'chat' sum to 90; a weighted route's weights sum to 100"))
    }

    @Test func aFailingPartIsNamedByPositionAndKeepsItsKind() {
        let sum90 = RouteChange.setWeights(route: "chat", weights: [.init(target: "gpt4", weight: 50), .init(target: "gpt35", weight: 40)])
        #expect(
            error(.batch([.drain(target: "mistral"), sum90, .undrain(target: "mistral")]))
                == RouteChangeError(.invalid, "change 2 of 3: weights of route 'chat' sum to 90; a weighted route's weights sum to 100"))
        #expect(error(.batch([.drain(target: "mistral"), .drain(target: "gpt5")]))?.kind == .notFound)
        #expect(
            error(.batch([.drain(target: "mistral"), .drain(target: "gpt5")]))?.message.hasPrefix("change 2 of 2: no target named 'gpt5'")
                == true)
        // A part may conflict with an earlier one: the second drain finds mistral drained already.
        #expect(
            error(.batch([.drain(target: "mistral"), .drain(target: "mistral")]))?.message
                == "change 2 of 2: target 'mistral' is already drained")
    }

    @Test func emptyNestedAndUndoBatchesAreRefused() {
        #expect(error(.batch([])) == RouteChangeError(.invalid, "a batch needs at least one change"))
        #expect(
            error(.batch([.drain(target: "mistral"), .batch([.undrain(target: "mistral")])]))
                == RouteChangeError(.invalid, "change 2 of 2 is itself a batch; list its changes in the outer one"))
        #expect(
            error(.batch([.restore(to: table), .drain(target: "mistral")]))?.message
                == "change 1 of 2 is an undo (restore), which cannot be part of a batch; undo on its own")
    }

    @Test func theSummaryJoinsThePartsEachAgainstTheTableBeforeIt() {
        let batch = RouteChange.batch([
            .setWeights(route: "chat", weights: weights),
            .setWeights(
                route: "chat",
                weights: [
                    .init(target: "gpt4", weight: 10), .init(target: "gpt35", weight: 70),
                    .init(target: "llama3", weight: 20),
                ]),
            .drain(target: "mistral"),
        ])
        #expect(
            batch.summary(before: table)
                == "chat weights: gpt4 40→20, gpt35 40→60; chat weights: gpt4 20→10, gpt35 60→70; drain mistral (out of chat)")
        #expect(
            batch.diff(before: table).map { "\($0.target) \($0.beforeWeight ?? -1)→\($0.afterWeight ?? -1)" }
                == ["gpt4 40→10", "gpt35 40→70", "mistral -1→-1"])
    }

    /// A batch of one is that change: the same table, summary and error words.
    @Test func aBatchOfOneIsThatChange() throws {
        let one = RouteChange.setWeights(route: "chat", weights: weights)
        #expect(try table.applying(.batch([one])) == (try table.applying(one)))
        #expect(RouteChange.batch([one]).summary(before: table) == one.summary(before: table))
        let bad = RouteChange.drain(target: "gpt5")
        #expect(error(.batch([bad])) == error(bad))
        #expect(RouteChange.combining([one]) == one)
        #expect(RouteChange.combining([one, .drain(target: "mistral")]) == .batch([one, .drain(target: "mistral")]))
    }
}
