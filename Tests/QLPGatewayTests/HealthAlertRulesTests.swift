import Foundation
import QLPRouting
import Testing

@testable import QLPGateway

/// Issue 17: alerts from the targets' conditions: a target down (critical,
/// while it holds), a target slow against its own SLO (warning), a route
/// whose targets are all down (critical, named for the route).
@Suite struct HealthAlertRulesTests {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)
    static let quiet = TrafficFigures(windowSeconds: 4, routes: [:], throttled: [:])
    static let refused = TargetCondition.Failure(reason: "cannot connect to 127.0.0.1 port 43117", at: start, byProbe: true)

    static func down() -> TargetCondition {
        TargetCondition(state: .down, reason: .failing(refused, consecutiveProbes: 2), since: start)
    }

    static func ok() -> TargetCondition {
        TargetCondition(state: .ok, reason: .answering(p95Milliseconds: 900, sloMilliseconds: 4000), since: start)
    }

    static func figures(_ conditions: [String: TargetCondition], drained: Set<String> = []) -> HealthFigures {
        HealthFigures(
            conditions: conditions, drained: drained,
            routes: ["chat": ["gpt4", "gpt35", "llama3"], "embeddings": ["embeddings"]])
    }

    static func evaluate(_ health: HealthFigures, previous: [GatewayAlert] = [], at: Date = start) -> [GatewayAlert] {
        GatewayAlertRules.evaluate(quiet, latencySLOs: [:], health: health, previous: previous, now: at)
    }

    @Test func everyTargetDownIsCriticalPerTargetAndPerRoute() {
        let alerts = Self.evaluate(
            Self.figures([
                "gpt4": Self.down(), "gpt35": Self.down(), "llama3": Self.down(),
                "embeddings": Self.down(),
            ]))
        #expect(alerts.map(\.kind) == [.targetDown, .targetDown, .targetDown, .targetDown, .routeUnserved, .routeUnserved])
        #expect(alerts.allSatisfy { $0.severity == .critical })
        #expect(alerts[0].text == "embeddings down: cannot connect to 127.0.0.1 port 43117 (2 probes failed in a row)")
        #expect(alerts.contains { $0.subject == "chat" && $0.text == "chat: no healthy target, gpt4, gpt35, llama3 down" })
    }

    @Test func aRouteWithOneTargetAnsweringIsServed() {
        let alerts = Self.evaluate(
            Self.figures([
                "gpt4": Self.down(), "gpt35": Self.down(), "llama3": Self.ok(),
                "embeddings": Self.ok(),
            ]))
        #expect(alerts.map(\.subject) == ["gpt35", "gpt4"])
        #expect(!alerts.contains { $0.kind == .routeUnserved })
    }

    /// A target nothing has measured yet may answer: no route alert on its account.
    @Test func anUnknownTargetKeepsTheRouteAlertBack() {
        let unknown = TargetCondition(state: .unknown, reason: .noEvidence, since: Self.start)
        let alerts = Self.evaluate(Self.figures(["gpt4": Self.down(), "gpt35": Self.down(), "llama3": unknown]))
        #expect(!alerts.contains { $0.kind == .routeUnserved })
    }

    /// A drained target is the operator's doing: no down alert for it, and it is named as drained.
    @Test func aDrainedTargetIsNotAlertedAndIsNamedInTheRouteAlert() {
        let alerts = Self.evaluate(
            Self.figures(
                ["gpt4": Self.down(), "gpt35": Self.down(), "llama3": Self.down()],
                drained: ["llama3"]))
        #expect(!alerts.contains { $0.subject == "llama3" })
        #expect(alerts.contains { $0.text == "chat: no healthy target, gpt4, gpt35 down, llama3 drained" })
    }

    /// The alerts keep their time while the condition holds (two minutes on,
    /// the same alerts), and clear once the conditions are ok again.
    @Test func theAlertsStayWhileTheConditionHoldsAndClearAfter() {
        let all = Self.figures(["gpt4": Self.down(), "gpt35": Self.down(), "llama3": Self.down()])
        var alerts = Self.evaluate(all)
        for second in stride(from: 2, through: 120, by: 2) {
            alerts = Self.evaluate(all, previous: alerts, at: Self.start.addingTimeInterval(Double(second)))
        }
        #expect(alerts.count == 4)
        #expect(alerts.allSatisfy { $0.since == Self.start })
        let back = Self.figures(["gpt4": Self.ok(), "gpt35": Self.ok(), "llama3": Self.ok()])
        let later = Self.start.addingTimeInterval(122)
        alerts = Self.evaluate(back, previous: alerts, at: later)
        alerts = Self.evaluate(back, previous: alerts, at: later.addingTimeInterval(GatewayAlertRules.clearAfterSeconds))
        #expect(alerts.isEmpty)
    }

    @Test func aSlowTargetWarnsWithItsP95AndSLO() {
        let slow = TargetCondition(
            state: .slow, reason: .latency(p95Milliseconds: 7805, sloMilliseconds: 4000, samples: 40),
            since: Self.start)
        let alerts = Self.evaluate(Self.figures(["gpt4": slow, "gpt35": Self.ok(), "llama3": Self.ok()]))
        #expect(alerts.count == 1)
        #expect(alerts.first?.kind == .targetSlow && alerts.first?.severity == .warning)
        #expect(alerts.first?.text == "gpt4 slow: p95 7.8 s over its 4 s SLO")
    }

    @Test func routesListTheirWeightedTargetsThenFallbacksOnce() {
        let table = RouteTable(
            version: 1, targets: [],
            routes: [
                Route(
                    name: "chat", policy: .weighted, shares: [.init(target: "gpt4", weight: 60), .init(target: "gpt35", weight: 40)],
                    fallback: ["gpt35", "llama3"])
            ])
        let figures = HealthFigures(table: table) { _ in Self.ok() }
        #expect(figures.routes == ["chat": ["gpt4", "gpt35", "llama3"]])
    }
}
