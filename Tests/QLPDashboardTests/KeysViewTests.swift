import Foundation
import QLPCanvas
import QLPCore
import QLPTerminal
import Testing

@testable import QLPDashboard
@testable import QLPFeed

/// Issue 13: the Keys view shows each client key's spend against its budget,
/// requests, tokens, the last minute against its limits and its top routes;
/// at 80x24 the keys, spend and limits; `s` sorts, `/` filters by name; keys
/// the gateway refuses for a limit stand out; empty states say why.
@Suite struct KeysViewTests {
    typealias F = DashboardFixtures
    static let utc = TimeZone(identifier: "UTC")!

    static func instant(_ year: Int, _ month: Int, _ day: Int) -> Date {
        CivilDate(year: year, month: month, day: day)!.startInstant(in: utc)
    }

    /// Five keys: one past 80% of its budget, one over its daily budget, one at
    /// its RPM limit, one revoked and one from the config.
    static func keys() -> [KeyActivity] {
        [
            KeyActivity(
                name: "ci-pipeline", origin: .store, state: .active,
                limits: KeyLimits(requestsPerMinute: 30, tokensPerMinute: 40_000, budget: KeyBudget(amount: 50, period: .month)),
                expiresAt: F.now.addingTimeInterval(31 * 86_400), spent: F.d("42.10"), periodResets: instant(2026, 12, 1),
                requests: 1_240, tokens: 310_000, requestsLastMinute: 12, tokensLastMinute: 4_100, refused: 0,
                topRoutes: [
                    .init(route: "chat", requests: 900, cost: F.d("30.10")),
                    .init(route: "code", requests: 340, cost: F.d("12.00")),
                ]),
            KeyActivity(
                name: "batch-nightly", origin: .store, state: .active,
                limits: KeyLimits(requestsPerMinute: 60, budget: KeyBudget(amount: 20, period: .day), routes: ["embeddings"]),
                expiresAt: nil, spent: F.d("20.40"), periodResets: instant(2026, 11, 27), requests: 5_000, tokens: 2_100_000,
                requestsLastMinute: 0, tokensLastMinute: 0, refused: 37,
                topRoutes: [.init(route: "embeddings", requests: 5_000, cost: F.d("20.40"))]),
            KeyActivity(
                name: "support-bot", origin: .store, state: .active,
                limits: KeyLimits(requestsPerMinute: 30, routes: ["chat"]), expiresAt: nil, spent: F.d("3.20"),
                periodResets: instant(2026, 12, 1), requests: 400, tokens: 96_000, requestsLastMinute: 30,
                tokensLastMinute: 9_000, refused: 5, topRoutes: [.init(route: "chat", requests: 400, cost: F.d("3.20"))]),
            KeyActivity(
                name: "old-intern", origin: .store, state: .revoked,
                limits: KeyLimits(budget: KeyBudget(amount: 10, period: .week)), expiresAt: nil, spent: 0,
                periodResets: instant(2026, 11, 30), requests: 0, tokens: 0, requestsLastMinute: 0, tokensLastMinute: 0,
                refused: 0, topRoutes: []),
            KeyActivity(
                name: "config-1", origin: .config, state: .active, limits: KeyLimits(), expiresAt: nil, spent: F.d("1.05"),
                periodResets: instant(2026, 12, 1), requests: 80, tokens: 20_000, requestsLastMinute: 2,
                tokensLastMinute: 480, refused: 0, topRoutes: [.init(route: "chat", requests: 80, cost: F.d("1.05"))]),
        ]
    }

    static func state(_ keys: [KeyActivity]? = keys(), connected: Bool = true) -> DashboardState {
        var state = F.state()
        state.keysConnected = connected
        if let keys { state.keys.succeed(keys, at: F.now.addingTimeInterval(-1)) }
        return state
    }

    static func interaction(_ keys: String = "") -> (DashboardInteraction, DashboardState) {
        let state = state()
        var i = DashboardInteraction()
        _ = i.handle(.character("8"), state: state)
        for key in keys { _ = i.handle(key == "\n" ? .enter : .character(key), state: state) }
        return (i, state)
    }

    static func render(
        _ state: DashboardState, _ interaction: DashboardInteraction? = nil,
        size: Size = Size(width: 80, height: 24)
    ) -> Canvas {
        var i = interaction ?? DashboardInteraction()
        i.view = .keys
        return DashboardScreen(state: state, interaction: i).render(size: size, context: F.context())
    }

    /// The row of `name` in the table, and the column where `text` starts in it.
    static func cell(_ canvas: Canvas, row name: String, _ text: String) throws -> (x: Int, y: Int) {
        let y = try #require(canvas.lines.firstIndex { $0.hasPrefix(" \(name) ") || $0.hasPrefix(" \(name)  ") }, "\(canvas.text)")
        let line = canvas.lines[y]
        let range = try #require(line.range(of: text), "\(text) in \(line)")
        return (line.distance(from: line.startIndex, to: range.lowerBound), y)
    }

    @Test func at80x24TheKeysTheirSpendAndTheirLimitsShow() throws {
        let canvas = Self.render(Self.state())
        let text = canvas.text
        #expect(canvas.lines[0].contains("8 Keys"), "\(text)")
        let header = try #require(canvas.lines.first { $0.contains("NAME") }, "\(text)")
        for column in ["NAME", "STATE", "SPENT", "BUDGET", "USED", "REQ", "RPM", "TPM"] {
            #expect(header.contains(column), "\(column) in \(header)")
        }
        let ci = try #require(canvas.lines.first { $0.hasPrefix(" ci-pipeline") }, "\(text)")
        for figure in ["active", "£42.10", "£50.00/mo", "84%", "1.2k", "12/30", "4.1k/40k"] {
            #expect(ci.contains(figure), "\(figure) in \(ci)")
        }
        let batch = try #require(canvas.lines.first { $0.hasPrefix(" batch-nightly") }, "\(text)")
        #expect(batch.contains("£20.40") && batch.contains("£20.00/day") && batch.contains("102%") && batch.contains("0/60"), "\(batch)")
        let support = try #require(canvas.lines.first { $0.hasPrefix(" support-bot") }, "\(text)")
        #expect(support.contains("30/30") && support.contains(" - "), "no budget reads '-': \(support)")
        #expect(canvas.lines.contains { $0.hasPrefix(" old-intern") && $0.contains("revoked") }, "\(text)")
        #expect(canvas.lines.contains { $0.hasPrefix(" config-1") && $0.contains("2/-") }, "no limit reads '-': \(text)")
        #expect(canvas.lines[3].contains("5 keys · 1 over budget · 1 at a rate limit · sort: spend"), "\(canvas.lines[3])")
        #expect(!text.contains("…"), "nothing is cut:\n\(text)")
        for (n, line) in canvas.lines.enumerated() where n > 0 && n < 23 {
            #expect(line.count < 80, "row \(n) runs to the edge: \(line)")
        }
    }

    @Test func keysTheGatewayRefusesStandOut() throws {
        // The selected row has the selection's colour: select config-1 (fourth by spend), which is checked for nothing else.
        var i = DashboardInteraction()
        i.selection[.keys] = 3
        let canvas = Self.render(Self.state(), i)
        let over = try Self.cell(canvas, row: "batch-nightly", "batch-nightly")
        #expect(canvas.role(x: over.x, y: over.y) == .critical, "over its budget")
        let used = try Self.cell(canvas, row: "batch-nightly", "102%")
        #expect(canvas.role(x: used.x, y: used.y) == .critical)
        let limited = try Self.cell(canvas, row: "support-bot", "support-bot")
        #expect(canvas.role(x: limited.x, y: limited.y) == .critical, "at its RPM limit")
        let rpm = try Self.cell(canvas, row: "support-bot", "30/30")
        #expect(canvas.role(x: rpm.x, y: rpm.y) == .critical)
        // Past the 80% alert threshold of budget.monthly.alerts: a warning, as the Budget view colours it.
        let near = try Self.cell(canvas, row: "ci-pipeline", "84%")
        #expect(canvas.role(x: near.x, y: near.y) == .warning)
        let fine = try Self.cell(canvas, row: "ci-pipeline", "ci-pipeline")
        #expect(canvas.role(x: fine.x, y: fine.y) == .normal, "near its budget is not yet refused")
        let revoked = try Self.cell(canvas, row: "old-intern", "old-intern")
        #expect(canvas.role(x: revoked.x, y: revoked.y) == .muted)
    }

    @Test func at120x40EveryColumnShows() throws {
        let canvas = Self.render(Self.state(), size: Size(width: 120, height: 40))
        let header = try #require(canvas.lines.first { $0.contains("NAME") }, "\(canvas.text)")
        for column in ["NAME", "STATE", "SPENT", "BUDGET", "USED", "REQ", "RPM", "TPM", "TOKENS", "REFUSED", "EXPIRES", "TOP ROUTES"] {
            #expect(header.contains(column), "\(column) in \(header)")
        }
        let ci = try #require(canvas.lines.first { $0.hasPrefix(" ci-pipeline") }, "\(canvas.text)")
        for figure in ["310k", "in 31d", "chat £30.10"] {
            #expect(ci.contains(figure), "\(figure) in \(ci)")
        }
        let batch = try #require(canvas.lines.first { $0.hasPrefix(" batch-nightly") }, "\(canvas.text)")
        #expect(batch.contains("2.1M") && batch.contains("37") && batch.contains("never") && batch.hasSuffix("embeddings"), "\(batch)")
        #expect(!canvas.text.contains("…"), "\(canvas.text)")
        for (n, line) in canvas.lines.enumerated() where n > 0 && n < 39 {
            #expect(line.count < 120, "row \(n) runs to the edge: \(line)")
        }
    }

    @Test func theSelectedKeyIsShownInWordsUnderTheTable() {
        let text = Self.render(Self.state()).text
        for line in [
            " ci-pipeline (key store) · active · expires 27 Dec 2026 17:42 UTC (in 31d)",
            " budget £50.00 a month: £42.10 spent (84%) · resets 1 Dec 2026 00:00 UTC",
            " last minute: 12 of 30 requests · 4,100 of 40,000 tokens",
            " every route allowed · top chat £30.10 (900 req), code £12.00 (340 req)",
        ] {
            #expect(text.contains(line), "'\(line)' in:\n\(text)")
        }
        let (next, state) = Self.interaction("j")
        let second = Self.render(state, next).text
        // Too long for one row: it continues on the next, between two phrases.
        #expect(second.contains(" budget £20.00 a day: £20.40 spent (102%)\n   refused until it resets 27 Nov 2026 00:00 UTC"), "\(second)")
        #expect(second.contains("routes allowed: embeddings"), "\(second)")
        #expect(second.contains("37 refused since the gateway started"), "\(second)")
        let (third, _) = Self.interaction("jj")
        let bot = Self.render(state, third).text
        #expect(bot.contains("last minute: 30 of 30 requests · 9,000 tokens (no limit)"), "\(bot)")
        #expect(bot.contains("at the limit: refused (429) until the minute frees"), "\(bot)")
        #expect(bot.contains("5 refused since the gateway started"), "\(bot)")
        let (fifth, _) = Self.interaction("jjjj")
        let revoked = Self.render(state, fifth).text
        #expect(revoked.contains(" old-intern (key store) · revoked: refused (401) · never expires"), "\(revoked)")
        #expect(revoked.contains("no requests this period"), "\(revoked)")
    }

    @Test func eachSortOrdersTheRows() {
        let keys = Self.keys()
        #expect(
            KeysView.rows(keys, sort: .spend, filter: "").map(\.name)
                == ["ci-pipeline", "batch-nightly", "support-bot", "config-1", "old-intern"])
        #expect(
            KeysView.rows(keys, sort: .name, filter: "").map(\.name)
                == ["batch-nightly", "ci-pipeline", "config-1", "old-intern", "support-bot"])
        #expect(
            KeysView.rows(keys, sort: .rpm, filter: "").map(\.name)
                == ["support-bot", "ci-pipeline", "config-1", "batch-nightly", "old-intern"])
        #expect(
            KeysView.rows(keys, sort: .requests, filter: "").map(\.name)
                == ["batch-nightly", "ci-pipeline", "support-bot", "config-1", "old-intern"])
    }

    @Test func sCyclesTheSortAndTheHeaderMarksIt() {
        var (i, state) = Self.interaction()
        #expect(i.keySort == .spend)
        var orders: [KeySortOrder] = []
        for _ in KeySortOrder.allCases {
            _ = i.handle(.character("s"), state: state)
            orders.append(i.keySort)
        }
        #expect(orders == [.name, .rpm, .requests, .spend])
        #expect(i.modelSort == .target, "the Models view's sort is its own")
        _ = i.handle(.character("s"), state: state)
        let canvas = Self.render(state, i)
        #expect(canvas.lines[3].contains("sort: name"), "\(canvas.lines[3])")
        #expect(canvas.lines.contains { $0.contains("NAME▼") }, "\(canvas.text)")
        // Table rows: the detail under the table has its phrases apart with " · ".
        let names = canvas.lines.filter { !$0.contains(" · ") }.compactMap { line in
            Self.keys().map(\.name).first { line.hasPrefix(" \($0) ") }
        }
        #expect(names == ["batch-nightly", "ci-pipeline", "config-1", "old-intern", "support-bot"], "\(canvas.text)")
    }

    @Test func slashFiltersByNameIgnoringCase() {
        var (i, state) = Self.interaction("/BOT")
        #expect(Self.render(state, i).lines.last?.contains("/BOT") == true, "the filter line shows while typed")
        _ = i.handle(.enter, state: state)
        let canvas = Self.render(state, i)
        #expect(canvas.lines.contains { $0.hasPrefix(" support-bot") }, "\(canvas.text)")
        #expect(!canvas.lines.contains { $0.hasPrefix(" ci-pipeline") || $0.hasPrefix(" batch-nightly") }, "\(canvas.text)")
        #expect(canvas.lines[3].contains("filter: BOT"), "\(canvas.lines[3])")
        #expect(i.modelFilter.isEmpty && i.auditFilter.isEmpty, "the Keys view's filter is its own")
        // `/` again edits the filter in place.
        _ = i.handle(.character("/"), state: state)
        #expect(i.filterLine?.text == "BOT")
        _ = i.handle(.escape, state: state)
        #expect(i.keyFilter.isEmpty)
        #expect(
            KeysView.rows(Self.keys(), sort: .name, filter: "-").map(\.name) == [
                "batch-nightly", "ci-pipeline", "config-1", "old-intern", "support-bot",
            ])
        #expect(KeysView.rows(Self.keys(), sort: .name, filter: "active").isEmpty, "names only, not states")
    }

    @Test func aFilterMatchingNothingSaysSo() {
        let (i, state) = Self.interaction("/zzz\n")
        let text = Self.render(state, i).text
        #expect(text.contains("no key matches 'zzz'"), "\(text)")
        #expect(!text.contains("NAME"), "no table: \(text)")
    }

    @Test func withoutAGatewayInThisProcessItSaysSoAndShowsNoRows() {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            let text = Self.render(Self.state(nil, connected: false), size: size).text
            #expect(text.contains("not connected: no gateway runs in this process"), "\(text)")
            #expect(!text.contains("NAME") && !text.contains("requires no client key"), "\(text)")
        }
        // Even with figures left in the state, a disconnected view shows none of them.
        let stale = Self.render(Self.state(Self.keys(), connected: false)).text
        #expect(!stale.contains("ci-pipeline"), "\(stale)")
    }

    @Test func aGatewayWithNoKeysCountsEveryRequestUnkeyed() {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            let text = Self.render(Self.state([]), size: size).text
            #expect(text.contains("the gateway requires no client key: every request is counted as '(no key)'"), "\(text)")
            #expect(text.contains("0 keys"), "\(text)")
        }
        let fetching = Self.render(Self.state(nil)).text
        #expect(fetching.contains("fetching…"), "\(fetching)")
    }

    @Test func selectionStaysWithinTheFilteredRows() {
        var (i, state) = Self.interaction("/i\n")
        // "i" matches ci-pipeline, batch-nightly, config-1 and old-intern.
        for _ in 0..<10 { _ = i.handle(.character("j"), state: state) }
        #expect(i.selected(in: .keys, state: state) == 3)
        _ = i.handle(.character("/"), state: state)
        _ = i.handle(.character("n"), state: state)
        #expect(i.selected(in: .keys, state: state) == 0, "a new filter starts at the top")
    }

    @Test func eightOrColonKeysOpensTheView() throws {
        #expect(try DashboardCommand.parse("keys") == .show(.keys))
        let (i, state) = Self.interaction()
        #expect(i.view == .keys)
        let bar = Self.render(state, i).lines.last ?? ""
        #expect(bar.contains("s sort") && bar.contains("/ filter"), "\(bar)")
    }

    @Test func thePollerFeedsTheState() {
        let store = DashboardStateStore(F.state())
        let poller = KeyActivityPoller(source: { Self.keys() }, store: store, interval: RefreshInterval(.seconds(1)), wake: WakeSignal())
        poller.refresh(now: F.now)
        #expect(store.state.keys.value?.map(\.name).count == 5)
        #expect(store.state.keys.updatedAt == F.now)
    }

    @Test func topRoutesShowWholeAndCountTheRest() {
        let routes = [("chat", "£30.10"), ("code", "£12.00"), ("embeddings", "£0.40")]
        #expect(KeysView.topRoutes(routes, width: 60) == "chat £30.10, code £12.00, embeddings £0.40")
        #expect(KeysView.topRoutes(routes, width: 30) == "chat £30.10, code £12.00 +1")
        #expect(KeysView.topRoutes(routes, width: 16) == "chat £30.10 +2")
        #expect(KeysView.topRoutes(routes, width: 12) == "chat £30.10", "the top one with its spend rather than names")
        #expect(KeysView.topRoutes(routes, width: 10) == "chat +2", "names alone where no spend fits")
        #expect(KeysView.topRoutes([("embeddings", "£20.40")], width: 12) == "embeddings")
        #expect(KeysView.topRoutes([], width: 16) == "")
        let wide = Self.render(Self.state(), size: Size(width: 200, height: 50))
        #expect(wide.lines.contains { $0.hasPrefix(" ci-pipeline") && $0.contains("chat £30.10, code £12.00") }, "\(wide.text)")
    }

    @Test func countsAreCutNeverRoundedUpToTheLimit() {
        #expect(KeysView.rate(29_990, limit: 30_000) == "29k/30k")
        #expect(KeysView.rate(950, limit: nil) == "950/-")
        #expect(KeysView.rate(1_250, limit: 1_000_000) == "1.2k/1M")
        #expect(KeysView.rate(2_150_000, limit: 123_456) == "2.1M/123k")
        #expect(KeysView.percent(F.d("0.999")) == "99%")
        #expect(KeysView.percent(1) == "100%")
        #expect(KeysView.percent(12) == "12x")
    }
}
