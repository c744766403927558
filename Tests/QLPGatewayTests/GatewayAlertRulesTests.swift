import Foundation
import Testing

@testable import QLPGateway

/// The traffic alert rules on stated figures: thresholds, texts, and the
/// steadiness (time, text) that keeps the alert strip from flapping.
@Suite struct GatewayAlertRulesTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func figures(_ routes: [String: TrafficFigures.Route] = [:], throttled: [String: Int] = [:]) -> TrafficFigures {
        TrafficFigures(windowSeconds: 6, routes: routes, throttled: throttled)
    }

    func route(requests: Int = 40, byFallback: Int = 0, p95: Double? = nil, samples: Int? = nil) -> TrafficFigures.Route {
        TrafficFigures.Route(requests: requests, byFallback: byFallback, p95Milliseconds: p95, latencySamples: samples ?? requests)
    }

    @Test func quietTrafficRaisesNothing() {
        let alerts = GatewayAlertRules.evaluate(
            figures(["chat": route(byFallback: 2, p95: 800)]), latencySLOs: ["chat": 2000],
            previous: [], now: start)
        #expect(alerts.isEmpty)
    }

    @Test func latencyOverTheSLOWarnsAndTwiceItIsCritical() throws {
        let over = GatewayAlertRules.evaluate(figures(["chat": route(p95: 2340)]), latencySLOs: ["chat": 2000], previous: [], now: start)
        let alert = try #require(over.first)
        #expect(over.count == 1)
        #expect(alert.kind == .latencySLOBreach && alert.subject == "chat" && alert.severity == .warning)
        #expect(alert.text == "chat: p95 2,340 ms over its 2,000 ms SLO")
        #expect(alert.since == start)

        let far = GatewayAlertRules.evaluate(figures(["chat": route(p95: 4100)]), latencySLOs: ["chat": 2000], previous: [], now: start)
        #expect(far.first?.severity == .critical)

        // At the SLO is meeting it; a route without an SLO is never in breach.
        #expect(
            GatewayAlertRules.evaluate(figures(["chat": route(p95: 2000)]), latencySLOs: ["chat": 2000], previous: [], now: start).isEmpty)
        #expect(GatewayAlertRules.evaluate(figures(["chat": route(p95: 9000)]), latencySLOs: [:], previous: [], now: start).isEmpty)
    }

    @Test func tooFewSamplesSayNothingAboutTheSLO() {
        let few = GatewayAlertRules.latencySLOMinimumSamples - 1
        let alerts = GatewayAlertRules.evaluate(
            figures(["chat": route(requests: few, p95: 9000)]), latencySLOs: ["chat": 2000],
            previous: [], now: start)
        #expect(alerts.isEmpty)
    }

    @Test func aBreachHoldsJustUnderTheSLOAndClearsWellUnderIt() throws {
        let raised = GatewayAlertRules.evaluate(figures(["chat": route(p95: 2100)]), latencySLOs: ["chat": 2000], previous: [], now: start)
        let later = start.addingTimeInterval(2)
        let held = GatewayAlertRules.evaluate(
            figures(["chat": route(p95: 1900)]), latencySLOs: ["chat": 2000], previous: raised, now: later)
        let alert = try #require(held.first)
        #expect(alert.since == start, "the alert keeps the time it was first seen")
        #expect(alert.text == "chat: p95 1,900 ms back near its 2,000 ms SLO")
        // Well under: no longer seen, so it clears once clearAfterSeconds have passed since it last held.
        let under = figures(["chat": route(p95: 1700)])
        let stays = GatewayAlertRules.evaluate(under, latencySLOs: ["chat": 2000], previous: held, now: later.addingTimeInterval(2))
        #expect(stays == held)
        let cleared = GatewayAlertRules.evaluate(
            under, latencySLOs: ["chat": 2000], previous: stays,
            now: later.addingTimeInterval(GatewayAlertRules.clearAfterSeconds))
        #expect(cleared.isEmpty)
    }

    @Test func aFallbackStormNeedsEnoughRequestsAndAShare() throws {
        let storm = GatewayAlertRules.evaluate(
            figures(["chat": route(requests: 50, byFallback: 19)]), latencySLOs: [:],
            previous: [], now: start)
        let alert = try #require(storm.first)
        #expect(alert.kind == .fallbackStorm && alert.subject == "chat" && alert.severity == .warning)
        #expect(alert.text == "chat: 38% of requests served by fallbacks in the last 6 s")

        let most = GatewayAlertRules.evaluate(
            figures(["chat": route(requests: 20, byFallback: 12)]), latencySLOs: [:],
            previous: [], now: start)
        #expect(most.first?.severity == .critical)

        // Nine requests all by fallbacks are too few to call a storm; 20% is under the line.
        let few = GatewayAlertRules.fallbackStormMinimumRequests - 1
        #expect(
            GatewayAlertRules.evaluate(
                figures(["chat": route(requests: few, byFallback: few)]), latencySLOs: [:],
                previous: [], now: start
            ).isEmpty)
        #expect(
            GatewayAlertRules.evaluate(
                figures(["chat": route(requests: 50, byFallback: 10)]), latencySLOs: [:],
                previous: [], now: start
            ).isEmpty)
    }

    @Test func aStormDoesNotFlapAroundItsThreshold() {
        var previous: [GatewayAlert] = []
        var seen: [Int] = []
        // 26%, 22%, 27%, 20%, 18%: raised once, held down to 15%.
        for (n, fallbacks) in [13, 11, 14, 10, 9].enumerated() {
            previous = GatewayAlertRules.evaluate(
                figures(["chat": route(requests: 50, byFallback: fallbacks)]), latencySLOs: [:],
                previous: previous, now: start.addingTimeInterval(Double(n * 2)))
            seen.append(previous.count)
            #expect(previous.allSatisfy { $0.since == start })
        }
        #expect(seen == [1, 1, 1, 1, 1])
        // 14%: under the clear line, gone once it has not held for clearAfterSeconds.
        let calm = figures(["chat": route(requests: 50, byFallback: 7)])
        previous = GatewayAlertRules.evaluate(calm, latencySLOs: [:], previous: previous, now: start.addingTimeInterval(10))
        #expect(previous.count == 1)
        previous = GatewayAlertRules.evaluate(
            calm, latencySLOs: [:], previous: previous,
            now: start.addingTimeInterval(8 + GatewayAlertRules.clearAfterSeconds))
        #expect(previous.isEmpty)
    }

    @Test func aConditionThatComesAndGoesIsOneAlert() {
        // A throttled target's breaker lets one trial through every 5 s: one 429, then a quiet window.
        var previous: [GatewayAlert] = []
        var texts: [String] = []
        for second in stride(from: 0, to: 30, by: 2) {
            let throttled = second % 6 == 0 ? ["gpt4": 1] : [:]
            previous = GatewayAlertRules.evaluate(
                figures(throttled: throttled), latencySLOs: [:], previous: previous,
                now: start.addingTimeInterval(Double(second)))
            texts += previous.map(\.text)
            #expect(previous.map(\.since) == [start], "at \(second) s")
        }
        #expect(Set(texts) == ["gpt4: throttled once in the last 6 s (429)"])
    }

    @Test func throttlingWarnsAtOneAndIsCriticalWhenMany() throws {
        let once = GatewayAlertRules.evaluate(figures(throttled: ["gpt4": 1]), latencySLOs: [:], previous: [], now: start)
        #expect(once.first?.text == "gpt4: throttled once in the last 6 s (429)")
        #expect(once.first?.severity == .warning)
        let many = GatewayAlertRules.evaluate(figures(throttled: ["gpt4": 12, "gpt35": 0]), latencySLOs: [:], previous: [], now: start)
        let alert = try #require(many.first)
        #expect(many.count == 1)
        #expect(alert.kind == .throttling && alert.subject == "gpt4" && alert.severity == .critical)
        #expect(alert.text == "gpt4: throttled 12 times in the last 6 s (429)")
        // Falling to 7 holds critical (it turns back to a warning under 5), with a fresh count in the text.
        let fewer = GatewayAlertRules.evaluate(
            figures(throttled: ["gpt4": 7]), latencySLOs: [:], previous: many,
            now: start.addingTimeInterval(2))
        #expect(fewer.first?.severity == .critical)
        #expect(fewer.first?.since == start)
        #expect(fewer.first?.text == "gpt4: throttled 7 times in the last 6 s (429)")
        let warning = GatewayAlertRules.evaluate(
            figures(throttled: ["gpt4": 4]), latencySLOs: [:], previous: fewer,
            now: start.addingTimeInterval(4))
        #expect(warning.first?.severity == .warning)
        #expect(warning.first?.since == start.addingTimeInterval(4), "a new severity is a new alert")
    }

    @Test func aFigureThatMovesLittleKeepsItsTextSoTheStripIsNotRedrawn() {
        let first = GatewayAlertRules.evaluate(figures(["chat": route(p95: 2340)]), latencySLOs: ["chat": 2000], previous: [], now: start)
        let close = GatewayAlertRules.evaluate(
            figures(["chat": route(p95: 2400)]), latencySLOs: ["chat": 2000], previous: first,
            now: start.addingTimeInterval(2))
        #expect(close.map(\.text) == first.map(\.text))
        #expect(close.map(\.since) == first.map(\.since))
        let moved = GatewayAlertRules.evaluate(
            figures(["chat": route(p95: 2900)]), latencySLOs: ["chat": 2000], previous: close,
            now: start.addingTimeInterval(4))
        #expect(moved.first?.text == "chat: p95 2,900 ms over its 2,000 ms SLO")
        #expect(moved.first?.since == start)
    }

    @Test func alertsComeInAStableOrder() {
        let all = GatewayAlertRules.evaluate(
            figures(
                ["code": route(requests: 20, byFallback: 10), "chat": route(requests: 20, byFallback: 10, p95: 5000)],
                throttled: ["mistral": 1, "gpt4": 3]),
            latencySLOs: ["chat": 1000], previous: [], now: start)
        #expect(
            all.map { "\($0.kind.rawValue) \($0.subject)" }
                == ["latency SLO chat", "fallback storm chat", "fallback storm code", "throttling gpt4", "throttling mistral"])
    }

    @Test func groupedDigits() {
        #expect(GatewayAlertRules.grouped(0) == "0")
        #expect(GatewayAlertRules.grouped(999) == "999")
        #expect(GatewayAlertRules.grouped(2340) == "2,340")
        #expect(GatewayAlertRules.grouped(1_234_567) == "1,234,567")
    }
}
