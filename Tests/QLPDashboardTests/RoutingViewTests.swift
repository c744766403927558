import Foundation
import QLPCanvas
import QLPRouting
import QLPTerminal
import Testing

@testable import QLPDashboard
@testable import QLPFeed

@Suite struct RoutingViewTests {
    typealias F = DashboardFixtures
    static let size = Size(width: 80, height: 24)

    static func state(
        _ table: RouteTable = RoutingFixtures.table, audit: [RouteAuditLine] = [],
        observed: [String: [String: Double]] = ["chat": ["gpt4": 0.41, "gpt35": 0.39, "llama3": 0.2]]
    ) -> DashboardState {
        var state = F.state()
        state.routeControlConnected = true
        state.operatorName = "alice"
        let traffic = observed.mapValues { ObservedTraffic(shares: $0, requests: 23, windowSeconds: 4) }
        state.routing.succeed(RoutingPanel(table: table, traffic: traffic, audit: audit), at: F.now)
        return state
    }

    func render(_ state: DashboardState, _ i: DashboardInteraction, size: Size = size) -> Canvas {
        DashboardScreen(state: state, interaction: i).render(size: size, context: F.context())
    }

    func routing(readOnly: Bool = false) -> DashboardInteraction {
        var i = DashboardInteraction(readOnly: readOnly)
        i.view = .routing
        return i
    }

    @Test func showsWeightsObservedSharesPolicyFallbackAndRules() {
        for size in [Self.size, Size(width: 120, height: 40)] {
            let canvas = render(Self.state(), routing(), size: size)
            let text = canvas.text
            #expect(text.contains("chat  weighted  fallback: gpt35 → llama3  · observed: 23 req in 4 s"))
            #expect(text.contains("embeddings  priority  fallback: none"))
            let gpt4 = canvas.lines.first { $0.contains("gpt4") }
            #expect(gpt4?.contains("40%") == true && gpt4?.contains("41%") == true, "\(gpt4 ?? "")")
            #expect(text.contains("openai_over_95: at 95% of azure_openai, chat → llama3"))
            #expect(text.contains("table v3"))
            #expect(!text.contains("…"), "cut at \(size):\n\(text)")
        }
    }

    @Test func withoutARouteControlItSaysSo() {
        let text = render(F.state(), routing()).text
        #expect(text.contains("not connected: this dashboard has no gateway route control"))
        var i = routing()
        _ = i.handle(.character("+"), state: F.state())
        #expect(i.message?.text.contains("not connected") == true)
        #expect(i.draft == nil)
    }

    @Test func plusStagesADraftThatEnterReviewsAndYApplies() async throws {
        let control = FakeRouteControl(table: RoutingFixtures.table)
        var state = Self.state()
        var i = routing()
        // gpt4 is the first row: two presses of - move 10 points to the others.
        _ = i.handle(.character("-"), state: state)
        _ = i.handle(.character("-"), state: state)
        let draft = try #require(i.draft)
        #expect(draft.table.route(named: "chat")?.shares.map(\.weight) == [30, 46, 24])
        var text = render(state, i).text
        #expect(text.contains("DRAFT: 1 change"))
        _ = i.handle(.enter, state: state)
        #expect(i.popup == .confirmDraft)
        text = render(state, i).text
        #expect(text.contains("chat  gpt4         40 -> 30"))
        #expect(text.contains("chat  gpt35        40 -> 46"))
        #expect(text.contains("chat  llama3       20 -> 24"))
        #expect(text.contains("as alice, on table v3"))
        #expect(text.contains("Apply? y yes / n no"))
        let effects = i.handle(.character("y"), state: state)
        #expect(i.draft == nil && i.popup == nil)
        guard case .applyRoute(let changes, let version)? = effects.first else {
            Issue.record("expected an apply, got \(effects)")
            return
        }
        #expect(version == 3)
        let notice = await DashboardSession.applyDraft(changes, expectedVersion: version, control: control)
        #expect(notice.isError == false, "\(notice.text)")
        // The poller's next fetch shows the new table and the audit line.
        state = Self.state(await control.table(), audit: try await control.audit(limit: 10))
        text = render(state, routing()).text
        #expect(text.contains("table v4"))
        #expect(!text.contains("DRAFT"))
        var audit = routing()
        audit.view = .audit
        let auditText = render(state, audit).text
        #expect(auditText.contains("alice"))
        #expect(auditText.contains("chat weights: gpt4 40→30"))
        #expect(auditText.contains("3→4"))
    }

    @Test func nSaysNoAndKeepsTheDraftEscDiscardsIt() {
        let state = Self.state()
        var i = routing()
        _ = i.handle(.character("+"), state: state)
        _ = i.handle(.enter, state: state)
        #expect(i.handle(.character("n"), state: state).isEmpty)
        #expect(i.draft != nil && i.popup == nil)
        _ = i.handle(.escape, state: state)
        #expect(i.draft == nil)
    }

    @Test func drainFallbackAndPolicyStageToo() throws {
        let state = Self.state()
        var i = routing()
        _ = i.handle(.character("j"), state: state)  // gpt35
        _ = i.handle(.character("d"), state: state)
        _ = i.handle(.character("j"), state: state)  // llama3
        _ = i.handle(.character("f"), state: state)
        _ = i.handle(.character("p"), state: state)
        let draft = try #require(i.draft)
        #expect(draft.table.isDrained("gpt35"))
        #expect(draft.table.route(named: "chat")?.fallback == ["llama3", "gpt35"])
        #expect(draft.table.route(named: "chat")?.policy == .priority)
        let text = render(state, i).text
        #expect(text.contains("DRAINED"))
        #expect(text.contains("DRAFT: 3 changes"))
        // d again undoes the drain in the draft.
        _ = i.handle(.character("k"), state: state)
        _ = i.handle(.character("d"), state: state)
        #expect(i.draft?.changes.count == 2)
    }

    @Test func anEditTheEngineRefusesIsExplained() {
        // Draining the only embeddings target would leave the route without a live target.
        let state = Self.state()
        var i = routing()
        for _ in 0..<3 { _ = i.handle(.character("j"), state: state) }
        _ = i.handle(.character("d"), state: state)
        #expect(i.draft == nil)
        #expect(i.message?.isError == true)
    }

    @Test func undoAsksFirst() {
        let line = RouteAuditLine(
            at: F.now, actor: "alice", summary: "chat weights: gpt4 40→30", outcome: .applied, fromVersion: 3, toVersion: 4)
        var table = RoutingFixtures.table
        table.version = 4
        let state = Self.state(table, audit: [line])
        var i = routing()
        #expect(i.handle(.character("u"), state: state).isEmpty)
        #expect(i.popup == .confirmUndo(version: 4, summary: "chat weights: gpt4 40→30"))
        #expect(render(state, i).text.contains("undo: chat weights: gpt4 40→30"))
        #expect(i.handle(.character("y"), state: state) == [.undoRoute(expectedVersion: 4)])
    }

    @Test func routeCommandStagesAndAsks() {
        let state = Self.state()
        var i = DashboardInteraction()
        i.commandLine = .init(text: "route chat gpt4=20 gpt35=60 llama3=20")
        _ = i.handle(.enter, state: state)
        #expect(i.view == .routing)
        #expect(i.popup == .confirmDraft)
        #expect(
            i.draft?.changes == [
                .setWeights(
                    route: "chat",
                    weights: [
                        .init(target: "gpt4", weight: 20), .init(target: "gpt35", weight: 60),
                        .init(target: "llama3", weight: 20),
                    ])
            ])
        // Model names the targets answer to (config aliases) name them too.
        var byModel = DashboardInteraction()
        byModel.commandLine = .init(text: "route chat gpt-4=20 gpt-35-turbo=60 llama3=20")
        _ = byModel.handle(.enter, state: state)
        #expect(byModel.draft?.changes == i.draft?.changes)
        var unknown = DashboardInteraction()
        unknown.commandLine = .init(text: "route chat gpt-5=20 gpt35=60 llama3=20")
        _ = unknown.handle(.enter, state: state)
        #expect(unknown.draft == nil)
        #expect(unknown.message?.text.contains("gpt-5") == true, "\(unknown.message?.text ?? "")")
        var bad = DashboardInteraction()
        bad.commandLine = .init(text: "route chat gpt4=20 gpt35=20")
        _ = bad.handle(.enter, state: state)
        #expect(bad.draft == nil)
        #expect(bad.message?.isError == true)
    }

    @Test func ruleCommandStagesASuspensionAndNamesMistakes() {
        let state = Self.state()
        var i = DashboardInteraction()
        i.commandLine = .init(text: "rule suspend openai_over_95")
        _ = i.handle(.enter, state: state)
        #expect(i.view == .routing)
        #expect(i.popup == .confirmDraft)
        #expect(i.draft?.changes == [.suspendRule(name: "openai_over_95", suspended: true)])

        var again = DashboardInteraction()
        again.commandLine = .init(text: "rule resume openai_over_95")
        _ = again.handle(.enter, state: state)
        #expect(again.draft == nil)
        #expect(again.message?.text == "budget rule openai_over_95 is already in force")

        var unknown = DashboardInteraction()
        unknown.commandLine = .init(text: "rule suspend nope")
        _ = unknown.handle(.enter, state: state)
        #expect(unknown.draft == nil)
        #expect(unknown.message?.isError == true)
        #expect(unknown.message?.text.contains("nope") == true, "\(unknown.message?.text ?? "")")

        var readOnly = DashboardInteraction(readOnly: true)
        readOnly.commandLine = .init(text: "rule suspend openai_over_95")
        _ = readOnly.handle(.enter, state: state)
        #expect(readOnly.draft == nil)
        #expect(readOnly.message?.text == KeyBindings.readOnlyExplanation)
    }

    @Test func readOnlyHidesAndRefusesEveryChange() {
        let state = Self.state()
        var i = routing(readOnly: true)
        var help = i
        help.showHelp = true
        let helpText = render(state, help, size: Size(width: 120, height: 40)).text
        for binding in KeyBindings.own(.routing) where binding.changesRoutes {
            #expect(!helpText.contains(binding.summary), "\(binding.summary) shown in read-only help")
        }
        #expect(!render(state, i).lines.last!.contains("weight"))
        for key: Key in [.character("+"), .character("-"), .character("d"), .character("f"), .character("p"), .enter, .character("u")] {
            #expect(i.handle(key, state: state).isEmpty)
            #expect(i.draft == nil && i.popup == nil)
            #expect(i.message?.text == "read-only mode: route changes are off (--read-only / dashboard.read_only)")
        }
        #expect(render(state, i).lines.last == " read-only mode: route changes are off (--read-only / dashboard.read_only)")
        i.commandLine = .init(text: "route chat gpt4=20 gpt35=60 llama3=20")
        #expect(i.handle(.enter, state: state).isEmpty)
        #expect(i.message?.text.hasPrefix("read-only mode") == true)
    }
}

@Suite struct RoutingOutcomeTests {
    typealias F = DashboardFixtures

    @Test func theOutcomeOfAnApplyShowsOnTheRoutingView() {
        var state = RoutingViewTests.state()
        state.notice = Notice(text: "route change rejected: table is at v4, not v3", isError: true, at: F.now)
        var i = DashboardInteraction()
        i.view = .routing
        let canvas = DashboardScreen(state: state, interaction: i).render(size: Size(width: 80, height: 24), context: F.context())
        #expect(canvas.lines[22].contains("route change rejected: table is at v4, not v3"))
        state.notice?.at = F.now.addingTimeInterval(-60)
        let later = DashboardScreen(state: state, interaction: i).render(size: Size(width: 80, height: 24), context: F.context())
        #expect(!later.text.contains("rejected"))
    }

    @Test func theSessionAppliesADraftThroughTheRouteControlAndReportsIt() async throws {
        let control = FakeRouteControl(table: RoutingFixtures.table)
        let store = DashboardStateStore(RoutingViewTests.state())
        let poller = RoutePoller(control: control, store: store, interval: RefreshInterval(.seconds(1)), wake: WakeSignal())
        var i = DashboardInteraction()
        i.view = .routing
        _ = i.handle(.character("-"), state: store.state)
        _ = i.handle(.enter, state: store.state)
        let effects = i.handle(.character("y"), state: store.state)
        guard case .applyRoute(let changes, let version)? = effects.first else {
            Issue.record("no apply in \(effects)")
            return
        }
        let notice = await DashboardSession.applyDraft(changes, expectedVersion: version, control: control)
        #expect(notice.isError == false, "\(notice.text)")
        await poller.refresh()
        #expect(store.state.routing.value?.table.route(named: "chat")?.shares.map(\.weight) == [35, 43, 22])
        #expect(store.state.routing.value?.audit.first?.actor == "alice")
        // A second apply of the same draft is refused: the table moved on.
        let stale = await control.apply(changes[0], expectedVersion: version, reason: nil)
        #expect(stale == .rejected(message: "table is at v4, not v3"))
    }

    /// A confirmed draft is one change: three edits make one version and one
    /// audit line, and one `u` puts back the table from before the draft.
    @Test func aDraftOfThreeChangesIsOneVersionAndOneUndo() async throws {
        let control = FakeRouteControl(table: RoutingFixtures.table)
        var state = RoutingViewTests.state()
        var i = DashboardInteraction()
        i.view = .routing
        _ = i.handle(.character("j"), state: state)  // gpt35
        _ = i.handle(.character("d"), state: state)
        _ = i.handle(.character("j"), state: state)  // llama3
        _ = i.handle(.character("f"), state: state)
        _ = i.handle(.character("p"), state: state)
        #expect(i.draft?.changes.count == 3)
        _ = i.handle(.enter, state: state)
        guard case .applyRoute(let changes, let version)? = i.handle(.character("y"), state: state).first else {
            Issue.record("no apply")
            return
        }
        let notice = await DashboardSession.applyDraft(changes, expectedVersion: version, control: control)
        #expect(notice.text.hasPrefix("applied v4: "), "\(notice.text)")
        #expect(notice.text.components(separatedBy: "; ").count == 3, "\(notice.text)")
        let after = await control.table()
        #expect(after.version == 4)
        #expect(after.isDrained("gpt35") && after.route(named: "chat")?.policy == .priority)
        let audit = try await control.audit(limit: 10)
        #expect(audit.count == 1)
        #expect(audit.first?.fromVersion == 3 && audit.first?.toVersion == 4)

        // u asks about the draft as a whole, and y puts the table from before it back.
        state = RoutingViewTests.state(after, audit: audit)
        #expect(i.handle(.character("u"), state: state).isEmpty)
        guard case .undoRoute(let undoVersion)? = i.handle(.character("y"), state: state).first else {
            Issue.record("no undo")
            return
        }
        guard case .applied(let undone, _) = await control.undo(expectedVersion: undoVersion) else {
            Issue.record("undo refused")
            return
        }
        #expect(undone == 5)
        var before = RoutingFixtures.table
        before.version = 5
        #expect(await control.table() == before)
    }
}
