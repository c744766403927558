import Foundation
import QLPCore
import QLPRouting

/// Turns a traffic window's figures into alerts: latency SLO breaches, fallback
/// storms and throttling; and the targets' conditions into alerts for targets
/// down or slow and routes with no healthy target left. Pure: the previous evaluation's alerts go in, so that
/// an alert keeps its time while its condition holds, does not flap around a
/// threshold (each level clears a little below where it was raised) nor when
/// its condition comes and goes (it stays a while after last seen), and keeps
/// its text while its figure moves little (a changed text redraws the alert
/// strip on every operator's terminal).
public enum GatewayAlertRules {
    // MARK: latency SLO (p95 of the answered requests in the window)

    /// Fewer answered requests than this in the window say too little for a p95.
    public static let latencySLOMinimumSamples = 10
    /// p95 at this multiple of the SLO (or more) is critical; over 1× warns.
    public static let latencySLOCriticalFactor = 2.0
    /// A raised breach holds until p95 falls below this multiple of the SLO...
    public static let latencySLOClearFactor = 0.9
    /// ...and a critical one turns back to a warning below this multiple.
    public static let latencySLOCriticalClearFactor = 1.8

    // MARK: fallback storm (share of a route's answers a fallback gave)

    /// Fewer requests than this in the window are not a storm, whatever the share.
    public static let fallbackStormMinimumRequests = 10
    public static let fallbackStormWarningPercent = 25.0
    public static let fallbackStormCriticalPercent = 50.0
    public static let fallbackStormClearPercent = 15.0
    public static let fallbackStormCriticalClearPercent = 40.0

    // MARK: throttling (429 answers per target)

    /// Any 429 in the window warns; this many is critical.
    public static let throttlingCriticalCount = 10
    public static let throttlingCriticalClearCount = 5

    /// A figure that moved by less than this fraction since its alert's text
    /// was written keeps that text.
    public static let restateFraction = 0.1

    /// A raised alert stays this long after its condition was last seen, so
    /// that a condition that comes and goes is one alert, not many: a throttled
    /// target whose breaker lets one trial through every few seconds meets a
    /// 429 each time, and the window forgets each one within seconds.
    public static let clearAfterSeconds = 10.0

    /// The alerts `figures` and `health` call for. `latencySLOs`: each route's
    /// SLO in milliseconds (routes without one are left out); `previous`: what
    /// the last evaluation returned. Ordered by kind, then subject.
    public static func evaluate(
        _ figures: TrafficFigures, latencySLOs: [String: Int], health: HealthFigures? = nil,
        previous: [GatewayAlert], now: Date
    ) -> [GatewayAlert] {
        let book = PreviousAlerts(previous)
        var alerts: [GatewayAlert] = []
        for (route, slo) in latencySLOs.sorted(by: { $0.key < $1.key }) where slo > 0 {
            if let alert = latencySLO(route: route, slo: slo, figures: figures.routes[route], previous: book, now: now) {
                alerts.append(alert)
            }
        }
        for (route, counts) in figures.routes.sorted(by: { $0.key < $1.key }) {
            if let alert = fallbackStorm(
                route: route, counts: counts, windowSeconds: figures.windowSeconds,
                previous: book, now: now)
            {
                alerts.append(alert)
            }
        }
        for (target, count) in figures.throttled.sorted(by: { $0.key < $1.key }) {
            if let alert = throttling(
                target: target, count: count, windowSeconds: figures.windowSeconds,
                previous: book, now: now)
            {
                alerts.append(alert)
            }
        }
        if let health { alerts += healthAlerts(health, previous: book, now: now) }
        // Conditions not seen this time stay raised, as they were, until clearAfterSeconds have passed
        // (a target's condition has its own hysteresis; this only keeps a route's alert steady).
        let raised = Set(alerts.map { PreviousAlerts.key($0.kind, $0.subject) })
        let held = previous.filter { alert in
            guard !raised.contains(PreviousAlerts.key(alert.kind, alert.subject)),
                now.timeIntervalSince(alert.lastSeen) < clearAfterSeconds
            else { return false }
            switch alert.kind {
            case .latencySLOBreach: return latencySLOs[alert.subject] != nil
            case .targetDown, .targetSlow: return health?.conditions[alert.subject] != nil
            case .routeUnserved: return health?.routes[alert.subject] != nil
            case .fallbackStorm, .throttling: return true
            }
        }
        guard !held.isEmpty else { return alerts }
        let order = Dictionary(uniqueKeysWithValues: GatewayAlert.Kind.allCases.enumerated().map { ($1, $0) })
        return (alerts + held).sorted { a, b in
            a.kind != b.kind ? order[a.kind, default: 0] < order[b.kind, default: 0] : a.subject < b.subject
        }
    }

    static func latencySLO(
        route: String, slo: Int, figures: TrafficFigures.Route?, previous: PreviousAlerts,
        now: Date
    ) -> GatewayAlert? {
        guard let figures, let p95 = figures.p95Milliseconds, figures.latencySamples >= latencySLOMinimumSamples else {
            return nil
        }
        let was = previous.severity(.latencySLOBreach, route)
        let ratio = p95 / Double(slo)
        guard ratio > 1 || was != nil else { return nil }
        let levels = Levels(
            warning: 1, critical: latencySLOCriticalFactor,
            warningClear: latencySLOClearFactor, criticalClear: latencySLOCriticalClearFactor)
        guard let severity = levels.severity(of: ratio, was: was) else { return nil }
        return previous.restated(.latencySLOBreach, route, severity: severity, figure: p95, crossing: Double(slo), now: now) { p95 in
            let milliseconds = Int(p95.rounded())
            // Held by the hysteresis just under the SLO: say so rather than "over".
            let relation = milliseconds > slo ? "over" : "back near"
            return "\(route): p95 \(grouped(milliseconds)) ms \(relation) its \(grouped(slo)) ms SLO"
        }
    }

    static func fallbackStorm(
        route: String, counts: TrafficFigures.Route, windowSeconds: Int, previous: PreviousAlerts,
        now: Date
    ) -> GatewayAlert? {
        guard counts.requests >= fallbackStormMinimumRequests else { return nil }
        let percent = Double(counts.byFallback) * 100 / Double(counts.requests)
        let levels = Levels(
            warning: fallbackStormWarningPercent, critical: fallbackStormCriticalPercent,
            warningClear: fallbackStormClearPercent, criticalClear: fallbackStormCriticalClearPercent)
        guard let severity = levels.severity(of: percent, was: previous.severity(.fallbackStorm, route)) else { return nil }
        return previous.restated(.fallbackStorm, route, severity: severity, figure: percent, now: now) { percent in
            "\(route): \(Int(percent.rounded()))% of requests served by fallbacks in the last \(windowSeconds) s"
        }
    }

    static func throttling(
        target: String, count: Int, windowSeconds: Int, previous: PreviousAlerts,
        now: Date
    ) -> GatewayAlert? {
        guard count > 0 else { return nil }
        let levels = Levels(
            warning: 1, critical: Double(throttlingCriticalCount),
            warningClear: 1, criticalClear: Double(throttlingCriticalClearCount))
        guard let severity = levels.severity(of: Double(count), was: previous.severity(.throttling, target)) else { return nil }
        return previous.restated(.throttling, target, severity: severity, figure: Double(count), now: now) { count in
            let times = Int(count) == 1 ? "once" : "\(Int(count)) times"
            return "\(target): throttled \(times) in the last \(windowSeconds) s (429)"
        }
    }

    /// A target down is critical, a target slow warns (its condition already
    /// has hysteresis: down until it has answered for a while, slow until well
    /// under its SLO); a route none of whose targets answers is critical. A
    /// drained target is left out of its own alerts: an operator took it out.
    static func healthAlerts(_ health: HealthFigures, previous: PreviousAlerts, now: Date) -> [GatewayAlert] {
        var alerts: [GatewayAlert] = []
        let targets = health.conditions.keys.sorted().filter { !health.drained.contains($0) }
        for target in targets {
            guard let condition = health.conditions[target], condition.state == .down else { continue }
            alerts.append(
                previous.stated(
                    .targetDown, target, severity: .critical,
                    text: "\(target) down: \(condition.explanation(time: nil))", now: now))
        }
        for target in targets {
            guard let condition = health.conditions[target], condition.state == .slow,
                case .latency(let p95, let slo, _) = condition.reason
            else { continue }
            alerts.append(
                previous.restated(.targetSlow, target, severity: .warning, figure: p95, crossing: slo, now: now) { p95 in
                    "\(target) slow: p95 \(TargetCondition.duration(p95)) \(p95 > slo ? "over" : "back near") its \(TargetCondition.duration(slo)) SLO"
                })
        }
        for (route, members) in health.routes.sorted(by: { $0.key < $1.key }) where !members.isEmpty {
            let drained = members.filter { health.drained.contains($0) }
            let down = members.filter { !health.drained.contains($0) }
            // An unknown target may yet answer: only a route whose targets are all down or drained is unserved.
            guard !down.isEmpty, down.allSatisfy({ health.conditions[$0]?.state == .down }) else { continue }
            var text = "\(route): no healthy target, \(down.joined(separator: ", ")) down"
            if !drained.isEmpty { text += ", \(drained.joined(separator: ", ")) drained" }
            alerts.append(previous.stated(.routeUnserved, route, severity: .critical, text: text, now: now))
        }
        return alerts
    }

    /// Raise and clear points of a warning and a critical level: a level is
    /// reached at its raise point and, once reached, held down to its clear point.
    struct Levels {
        var warning: Double
        var critical: Double
        var warningClear: Double
        var criticalClear: Double

        func severity(of value: Double, was: AlertSeverity?) -> AlertSeverity? {
            if value >= critical || (was == .critical && value >= criticalClear) { return .critical }
            if value >= warning || (was != nil && value >= warningClear) { return .warning }
            return nil
        }
    }

    /// The last evaluation's alerts, by kind and subject.
    struct PreviousAlerts {
        private let byKey: [String: GatewayAlert]

        init(_ alerts: [GatewayAlert]) {
            byKey = Dictionary(alerts.map { (Self.key($0.kind, $0.subject), $0) }, uniquingKeysWith: { a, _ in a })
        }

        static func key(_ kind: GatewayAlert.Kind, _ subject: String) -> String { "\(kind.rawValue)\u{0}\(subject)" }

        func severity(_ kind: GatewayAlert.Kind, _ subject: String) -> AlertSeverity? {
            byKey[Self.key(kind, subject)]?.severity
        }

        /// The previous alert with `text` (and its time, when its severity is
        /// unchanged), or a new one.
        func stated(
            _ kind: GatewayAlert.Kind, _ subject: String, severity: AlertSeverity, text: String,
            now: Date
        ) -> GatewayAlert {
            guard var alert = byKey[Self.key(kind, subject)], alert.severity == severity else {
                return GatewayAlert(kind: kind, subject: subject, severity: severity, text: text, since: now, figure: 0)
            }
            alert.lastSeen = now
            alert.text = text
            return alert
        }

        /// The previous alert as it was when its severity is unchanged and its
        /// figure moved little; with a fresh text (and, if new at this severity,
        /// a fresh time) otherwise. A figure that went across `crossing` is
        /// always restated (the text says which side it is on).
        func restated(
            _ kind: GatewayAlert.Kind, _ subject: String, severity: AlertSeverity, figure: Double,
            crossing: Double? = nil, now: Date, text: (Double) -> String
        ) -> GatewayAlert {
            guard var alert = byKey[Self.key(kind, subject)], alert.severity == severity else {
                return GatewayAlert(kind: kind, subject: subject, severity: severity, text: text(figure), since: now, figure: figure)
            }
            alert.lastSeen = now
            let crossed = crossing.map { (figure > $0) != (alert.figure > $0) } ?? false
            if !crossed, abs(figure - alert.figure) <= GatewayAlertRules.restateFraction * abs(alert.figure) { return alert }
            alert.figure = figure
            alert.text = text(figure)
            return alert
        }
    }

    /// 2340 -> "2,340".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}

/// The targets' conditions and the routes they serve, for the health alerts.
public struct HealthFigures: Sendable, Equatable {
    /// By target name.
    public var conditions: [String: TargetCondition]
    /// Targets an operator drained.
    public var drained: Set<String>
    /// Each route's targets: weighted ones, then fallbacks, each once.
    public var routes: [String: [String]]

    public init(conditions: [String: TargetCondition], drained: Set<String>, routes: [String: [String]]) {
        self.conditions = conditions
        self.drained = drained
        self.routes = routes
    }

    /// `table`'s targets and routes, with `condition` giving each target's.
    public init(table: RouteTable, condition: (RouteTarget) -> TargetCondition) {
        var conditions: [String: TargetCondition] = [:]
        for target in table.targets { conditions[target.name] = condition(target) }
        var routes: [String: [String]] = [:]
        for route in table.routes {
            var members: [String] = []
            for name in route.shares.map(\.target) + route.fallback where !members.contains(name) { members.append(name) }
            routes[route.name] = members
        }
        self.init(conditions: conditions, drained: Set(table.drained), routes: routes)
    }
}
