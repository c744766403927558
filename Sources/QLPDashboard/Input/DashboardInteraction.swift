import Foundation
import QLPCore
import QLPFeed
import QLPRouting
import QLPTerminal

/// What the dashboard must do outside its own screen state after a key.
public enum DashboardEffect: Sendable, Equatable {
    case quit
    case redraw
    case refresh
    case writeWeeklyReport
    /// Apply a confirmed draft, change by change, starting at `expectedVersion`.
    case applyRoute(changes: [RouteChange], expectedVersion: Int)
    case undoRoute(expectedVersion: Int)
    case setRefreshInterval(Duration)
    case setTheme(String)
    /// The operator acknowledged these alerts (by key): kept in the alert history.
    case acknowledgeAlerts([String])
}

/// Everything on screen that is the operator's doing rather than data: the
/// view, selections, the command line, filters, the route draft, popups and
/// the alert book. Pure and synchronous (the terminal thread owns one): keys
/// in, effects out, so tests drive it exactly as a person would.
public struct DashboardInteraction: Sendable {
    public enum Popup: Sendable, Equatable {
        case confirmDraft
        case confirmUndo(version: Int, summary: String)
        /// `q` or `:quit` with route changes staged and not applied.
        case confirmQuit
    }

    /// A line being typed: a `:` command or a `/` filter.
    public struct LineInput: Sendable, Equatable {
        public var text = ""
        /// Completions or an error, shown to the right.
        public var hint = ""
        public var hintIsError = false

        public init(text: String = "", hint: String = "", hintIsError: Bool = false) {
            self.text = text
            self.hint = hint
            self.hintIsError = hintIsError
        }
    }

    /// A one-line answer to the last key (an error, "read-only mode: …").
    public struct Message: Sendable, Equatable {
        public var text: String
        public var isError: Bool
    }

    public var view: DashboardView = .overview
    public var showHelp = false {
        didSet { if !showHelp { helpPage = .keys } }
    }
    /// Which page of `?` help is open: keys, then (on `?` again) the columns.
    var helpPage = HelpOverlay.Page.keys
    /// Rows scrolled in views that scroll (Monitor, Audit).
    public var scroll = 0
    /// The highlighted row of Models and Keys: a place in the sorted, filtered list.
    public var selection: [DashboardView: Int] = [:]
    /// The highlighted alert, by key, not by place: new alerts arrive on top,
    /// and `a` must acknowledge the alert the operator is looking at, not the
    /// one that slid under the cursor since.
    var selectedAlert: String?
    /// The highlighted Routing row, by route and target: a route change from
    /// another operator can add or remove rows above it, and `+`, `d` and `f`
    /// must stage the change on the target the operator chose.
    var selectedTarget: RoutingView.Row?
    public var modelSort = ModelsView.SortColumn.target
    public var modelFilter = ""
    public var auditFilter = ""
    public var keySort = KeySortOrder.spend
    public var keyFilter = ""
    public var commandLine: LineInput?
    public var filterLine: LineInput?
    public var message: Message?
    public var draft: RouteDraft?
    public var popup: Popup?
    public var alerts = AlertBook()
    public var readOnly: Bool
    /// What a route-changing key answers in read-only mode: why changes are off here.
    public var readOnlyExplanation = KeyBindings.readOnlyExplanation
    public var bellEnabled: Bool
    /// The themes `:theme` offers; empty when the terminal cannot switch them.
    public var themeNames: [String]

    public init(readOnly: Bool = false, bellEnabled: Bool = true, themeNames: [String] = []) {
        self.readOnly = readOnly
        self.bellEnabled = bellEnabled
        self.themeNames = themeNames
    }

    /// Where the highlighted row of `view` is in the rows it shows now.
    public func selected(in view: DashboardView, state: DashboardState) -> Int {
        switch view {
        case .alerts: alerts.entries.firstIndex { $0.alert.key == selectedAlert } ?? 0
        case .routing: routingRows(state).firstIndex { $0 == selectedTarget } ?? 0
        default: selection[view] ?? 0
        }
    }

    func routingRows(_ state: DashboardState) -> [RoutingView.Row] {
        RoutingView.rows(draft?.table ?? state.routing.value?.table)
    }

    /// Feeds this frame's alerts into the book. True when the bell should ring:
    /// a critical alert is new and the bell is on. The highlight stays on the
    /// alert it was on (the newest, until the operator moves it).
    public mutating func observe(_ state: DashboardState, now: Date) -> Bool {
        let place = selected(in: .alerts, state: state)
        let highlighted = alerts.entries.indices.contains(place) ? alerts.entries[place].alert.key : nil
        let fresh = alerts.update(with: AlertRules.evaluate(state, now: now), now: now)
        if let highlighted { selectedAlert = highlighted }
        if selectedTarget == nil { selectedTarget = routingRows(state).first }
        return bellEnabled && fresh.contains { $0.severity == .critical }
    }

    // MARK: keys

    public mutating func handle(_ key: Key, state: DashboardState) -> [DashboardEffect] {
        if key == .resize { return [] }
        message = nil
        if let popup { return answer(popup, key: key) }
        if commandLine != nil { return editCommand(key, state: state) }
        if filterLine != nil {
            editFilter(key)
            return []
        }
        if showHelp, key == .escape || key == .character("?") {
            if key == .character("?"), helpPage == .keys {
                helpPage = .columns
            } else {
                showHelp = false
            }
            return []
        }
        guard let binding = KeyBindings.binding(for: key, in: view) else {
            message = KeyBindings.elsewhere(key, notIn: view).map { Message(text: $0, isError: false) }
            return []
        }
        if readOnly, binding.changesRoutes {
            message = Message(text: readOnlyExplanation, isError: true)
            return []
        }
        return perform(binding.action, state: state)
    }

    mutating func perform(_ action: DashboardAction, state: DashboardState) -> [DashboardEffect] {
        switch action {
        case .quit: return quit()
        case .toggleHelp: showHelp.toggle()
        case .closeOverlay: showHelp = false
        case .refresh: return [.refresh]
        case .redraw: return [.redraw]
        case .writeWeeklyReport: return [.writeWeeklyReport]
        case .show(let chosen): switchTo(chosen)
        case .nextView: switchTo(view.next)
        case .previousView: switchTo(view.previous)
        case .openCommandLine: commandLine = LineInput()
        case .openFilter:
            filterLine = LineInput(text: filter(in: view))
        case .scroll(let by): scroll = max(0, scroll + by)
        case .select(let by): moveSelection(by, state: state)
        case .cycleSort:
            if view == .keys {
                keySort = keySort.next
            } else {
                let all = ModelsView.SortColumn.allCases
                modelSort = all[((all.firstIndex(of: modelSort) ?? 0) + 1) % all.count]
            }
        case .acknowledge:
            if let key = alerts.acknowledge(at: selected(in: .alerts, state: state)) { return [.acknowledgeAlerts([key])] }
        case .acknowledgeAll:
            let keys = alerts.acknowledgeAll()
            if !keys.isEmpty { return [.acknowledgeAlerts(keys)] }
        case .shiftWeight, .toggleDrain, .moveFallbackEarlier, .cyclePolicy:
            editDraft(action, state: state)
        case .reviewDraft:
            if let draft, !draft.isEmpty {
                popup = .confirmDraft
            } else {
                message = Message(
                    text: "nothing staged: change a weight (+/-), drain (d), fallback (f) or policy (p) first",
                    isError: false)
            }
        case .discardDraft:
            if draft != nil {
                draft = nil
                message = Message(text: "draft discarded", isError: false)
            }
        case .undoLastChange:
            guard let panel = state.routing.value else {
                message = Message(text: routesUnavailable(state), isError: true)
                return []
            }
            let last = panel.audit.first { $0.outcome == .applied }?.summary ?? "the last applied change"
            popup = .confirmUndo(version: panel.table.version, summary: last)
        }
        return []
    }

    /// Quits, unless route changes are staged: leaving would lose them
    /// without a word, so the dashboard asks first.
    mutating func quit() -> [DashboardEffect] {
        guard let draft, !draft.isEmpty else { return [.quit] }
        popup = .confirmQuit
        return []
    }

    mutating func switchTo(_ chosen: DashboardView) {
        if chosen != view { scroll = 0 }
        view = chosen
    }

    func routesUnavailable(_ state: DashboardState) -> String {
        if !state.routeControlConnected { return "routes are not connected to this dashboard (no gateway route control)" }
        if let problem = state.routing.problem { return "route table unavailable: \(problem.summary)" }
        return "the route table has not arrived yet"
    }

    mutating func moveSelection(_ by: Int, state: DashboardState) {
        func moved(_ count: Int) -> Int { max(0, min(count - 1, selected(in: view, state: state) + by)) }
        switch view {
        case .routing:
            let rows = routingRows(state)
            if !rows.isEmpty { selectedTarget = rows[moved(rows.count)] }
        case .alerts:
            if !alerts.entries.isEmpty { selectedAlert = alerts.entries[moved(alerts.entries.count)].alert.key }
        case .models: selection[view] = moved(ModelsView.rows(state.models.value ?? [], sort: modelSort, filter: modelFilter).count)
        case .keys: selection[view] = moved(KeysView.rows(state.keys.value ?? [], sort: keySort, filter: keyFilter).count)
        default: return
        }
    }

    mutating func editDraft(_ action: DashboardAction, state: DashboardState) {
        guard let live = state.routing.value?.table else {
            message = Message(text: routesUnavailable(state), isError: true)
            return
        }
        var working = draft ?? RouteDraft(base: live)
        let rows = RoutingView.rows(working.table)
        let place = selected(in: .routing, state: state)
        guard rows.indices.contains(place) else { return }
        let row = rows[place]
        switch action {
        case .shiftWeight(let points): working.shift(route: row.route, target: row.target, by: points)
        case .toggleDrain: working.toggleDrain(target: row.target)
        case .moveFallbackEarlier:
            let chain = working.table.route(named: row.route)?.fallback ?? []
            working.moveEarlierInFallback(route: row.route, target: row.target)
            if !chain.contains(row.target), working.problem == nil {
                // Not a reorder: the target joins the chain. Said, so it is never a surprise in the review.
                let after = working.table.route(named: row.route)?.fallback ?? []
                message = Message(
                    text: "\(row.target) was not in \(row.route)'s fallback chain: staged it last (\(after.joined(separator: ", "))); "
                        + "Enter reviews, Esc discards", isError: false)
            }
        case .cyclePolicy: working.cyclePolicy(route: row.route)
        default: return
        }
        if let problem = working.problem { message = Message(text: problem, isError: true) }
        draft = working.isEmpty ? nil : working
    }

    mutating func answer(_ popup: Popup, key: Key) -> [DashboardEffect] {
        switch key {
        case .character("y"), .character("Y"):
            self.popup = nil
            switch popup {
            case .confirmDraft:
                guard let draft else { return [] }
                // The outcome arrives as the state's notice (the Routing view's last row).
                self.draft = nil
                return [.applyRoute(changes: draft.changes, expectedVersion: draft.base.version)]
            case .confirmUndo(let version, _):
                return [.undoRoute(expectedVersion: version)]
            case .confirmQuit:
                return [.quit]
            }
        case .character("n"), .character("N"), .escape:
            self.popup = nil
            let text =
                switch popup {
                case .confirmDraft: "not applied: the draft is kept (Esc discards it)"
                case .confirmUndo: "not undone"
                case .confirmQuit: "still here: the draft is kept (Enter reviews it, Esc discards it)"
                }
            message = Message(text: text, isError: false)
        default:
            break
        }
        return []
    }

    // MARK: command line and filter

    mutating func editCommand(_ key: Key, state: DashboardState) -> [DashboardEffect] {
        guard var line = commandLine else { return [] }
        switch key {
        case .escape:
            commandLine = nil
            return []
        case .enter:
            commandLine = nil
            return execute(line.text, state: state)
        case .tab:
            let completion = CommandCompletion(themeNames: themeNames, table: state.routing.value?.table)
            let (text, candidates) = completion.complete(line.text)
            line.text = text
            line.hint = candidates.count > 1 ? candidates.joined(separator: " ") : (candidates.isEmpty ? "no completion" : "")
            line.hintIsError = false
        case .backspace:
            if line.text.isEmpty {
                commandLine = nil
                return []
            }
            line.text.removeLast()
            line.hint = ""
        case .character(let c):
            line.text.append(c)
            line.hint = ""
        default:
            break
        }
        commandLine = line
        return []
    }

    mutating func execute(_ text: String, state: DashboardState) -> [DashboardEffect] {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        let command: DashboardCommand
        do {
            command = try DashboardCommand.parse(text)
        } catch {
            message = Message(text: error.message, isError: true)
            return []
        }
        switch command {
        case .show(let chosen):
            switchTo(chosen)
        case .quit:
            return quit()
        case .theme(let name):
            if themeNames.isEmpty {
                message = Message(text: "themes cannot be switched in this terminal", isError: true)
            } else if !themeNames.contains(name) {
                message = Message(text: "unknown theme '\(name)' (one of: \(themeNames.joined(separator: ", ")))", isError: true)
            } else {
                message = Message(text: "theme \(name)", isError: false)
                return [.setTheme(name)]
            }
        case .refresh(let interval):
            message = Message(text: "refreshing every \(interval.components.seconds)s", isError: false)
            return [.setRefreshInterval(interval)]
        case .route(let name, let weights):
            stageFromCommand(state: state, unchanged: "route \(name) already has those weights") { draft, live in
                draft.setWeights(route: name, weights: weights.map { Self.resolvingModelName($0, in: live) })
            }
        case .rule(let name, let suspended):
            stageFromCommand(state: state, unchanged: "budget rule \(name) is already \(suspended ? "suspended" : "in force")") {
                draft, _ in
                draft.setRule(name, suspended: suspended)
            }
        }
        return []
    }

    /// A route change typed on the command line: staged on the draft and shown
    /// for confirmation, as the Routing view's keys do.
    private mutating func stageFromCommand(
        state: DashboardState, unchanged: String,
        _ change: (inout RouteDraft, RouteTable) -> Void
    ) {
        if readOnly {
            message = Message(text: readOnlyExplanation, isError: true)
            return
        }
        guard let live = state.routing.value?.table else {
            message = Message(text: routesUnavailable(state), isError: true)
            return
        }
        var working = draft ?? RouteDraft(base: live)
        change(&working, live)
        if let problem = working.problem {
            message = Message(text: problem, isError: true)
            return
        }
        draft = working.isEmpty ? nil : working
        switchTo(.routing)
        if draft != nil { popup = .confirmDraft } else { message = Message(text: unchanged, isError: false) }
    }

    /// `:route chat gpt-4=40` names a target by a model name it answers to
    /// (an alias from the config), as clients do; a name nothing answers to is
    /// kept, so the draft's error names it.
    static func resolvingModelName(_ share: Route.Share, in table: RouteTable) -> Route.Share {
        guard table.target(named: share.target) == nil,
            let target = table.targets.first(where: { $0.answers(to: share.target) })
        else { return share }
        return Route.Share(target: target.name, weight: share.weight)
    }

    mutating func editFilter(_ key: Key) {
        guard var line = filterLine else { return }
        switch key {
        case .escape:
            line.text = ""
            filterLine = nil
        case .enter:
            filterLine = nil
        case .backspace:
            if !line.text.isEmpty { line.text.removeLast() }
            filterLine = line
        case .character(let c):
            line.text.append(c)
            filterLine = line
        default:
            return
        }
        switch view {
        case .models:
            modelFilter = line.text
            selection[.models] = 0
        case .keys:
            keyFilter = line.text
            selection[.keys] = 0
        default:
            auditFilter = line.text
            scroll = 0
        }
    }

    /// The `/` filter of a view that has one (the Audit view's otherwise).
    func filter(in view: DashboardView) -> String {
        switch view {
        case .models: modelFilter
        case .keys: keyFilter
        default: auditFilter
        }
    }
}
