import QLPTestSupport
import Testing

@testable import QLPRouting

@Suite struct RouteShiftingTests {
    func route(_ weights: [Int]) -> Route {
        Route(
            name: "r", policy: .weighted,
            shares: weights.enumerated().map { Route.Share(target: ["a", "b", "c", "d"][$0.offset], weight: $0.element) },
            fallback: [])
    }

    func weights(_ route: Route) -> [Int] { route.shares.map(\.weight) }

    @Test func movesOneTargetAndRebalancesTheOthersProportionally() {
        #expect(weights(route([40, 40, 20]).shifting(target: "a", by: 10)) == [50, 33, 17])
        #expect(weights(route([40, 40, 20]).shifting(target: "a", by: -10)) == [30, 47, 23])
        #expect(weights(route([70, 30, 0]).shifting(target: "b", by: 5)) == [65, 35, 0])
        #expect(weights(route([34, 33, 33]).shifting(target: "a", by: -1)) == [33, 34, 33])
    }

    @Test func clampsAndKeepsTheSumAtOneHundred() {
        #expect(weights(route([90, 10]).shifting(target: "a", by: 25)) == [100, 0])
        #expect(weights(route([10, 90]).shifting(target: "a", by: -25)) == [0, 100])
        #expect(weights(route([100, 0, 0]).shifting(target: "a", by: -10)) == [90, 5, 5])
        #expect(weights(route([100]).shifting(target: "a", by: -10)) == [100])
        #expect(weights(route([50, 50]).shifting(target: "a", by: Int.max)) == [100, 0])
        var random = SeededGenerator(seed: 42)
        for _ in 0..<1_000 {
            var start = (0..<4).map { _ in Int.random(in: 0...40, using: &random) }
            start[0] = 100 - start[1...].reduce(0, +)
            guard start[0] >= 0 else { continue }
            let shifted = route(start).shifting(
                target: ["a", "b", "c", "d"].randomElement(using: &random)!,
                by: Int.random(in: -30...30, using: &random))
            #expect(weights(shifted).reduce(0, +) == 100)
            #expect(weights(shifted).allSatisfy { (0...100).contains($0) })
        }
    }

    @Test func aNewTargetJoinsAtTheEnd() {
        let shifted = route([60, 40]).shifting(target: "c", by: 10)
        #expect(shifted.shares.map(\.target) == ["a", "b", "c"])
        #expect(weights(shifted) == [54, 36, 10])
        #expect(route([60, 40]).shifting(target: "c", by: -10) == route([60, 40]))
    }
}
