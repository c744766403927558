import Foundation
import QLPTestSupport
import Testing

/// Issue 5, acceptance 1: an operator moves the chat route from GPT-4 toward
/// GPT-3.5 in `qlp demo`'s Routing view by keys, confirms, sees the observed
/// share follow, finds the change under their name in the Audit view and in
/// `qlp routes show` from another process, then undoes it the same way.
@Suite(.serialized, .timeLimit(.minutes(4))) struct RoutingDemoEndToEndTests {
    /// A test token, made per run; never printed.
    static let token = "adm-e2e-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    /// The operator's name, as $USER gives it to `qlp demo`.
    static let operatorName = "e2e-carol"

    static func environment(_ scratch: ScratchDirectory) -> [String: String] {
        [
            "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config", "HOME": scratch.path,
            "LANG": "C.UTF-8", "TZ": "UTC", "QLP_ADMIN_TOKEN": token, "USER": operatorName,
        ]
    }

    /// The chat route's row for `target` (the first such row after "chat  weighted"; gpt4 is in the code route too).
    static func chatRow(_ screen: String, _ target: String) -> String? {
        let lines = screen.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("chat  weighted") }) else { return nil }
        for line in lines[(start + 1)...] {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            let words = line.replacingOccurrences(of: "▶", with: " ").split(separator: " ")
            if words.first.map(String.init) == target { return line }
        }
        return nil
    }

    /// Percentages in a row: the weight, then the observed share ("-" when there is none yet).
    static func percentages(_ row: String) -> [Int] {
        row.split(separator: " ").compactMap { $0.hasSuffix("%") ? Int($0.dropLast()) : nil }
    }

    static func weight(_ screen: String, _ target: String) -> Int? {
        chatRow(screen, target).flatMap { percentages($0).first }
    }

    static func observed(_ screen: String, _ target: String) -> Int? {
        chatRow(screen, target).flatMap { row in
            let found = percentages(row)
            return found.count >= 2 ? found[1] : nil
        }
    }

    /// The Audit view's row whose summary holds `summary`: one that also names the operator.
    static func auditLine(_ screen: String, _ summary: String) -> String? {
        screen.components(separatedBy: "\n").first { $0.contains(summary) && $0.contains(operatorName) }
    }

    static func showsWeights(_ screen: String, _ expected: [String: Int]) -> Bool {
        expected.allSatisfy { weight(screen, $0.key) == $0.value }
    }

    /// `qlp routes show` in a process of its own, with no flags: it finds the demo on `adminPort` through the
    /// state directory and uses the demo's own token (the demo takes no other, $QLP_ADMIN_TOKEN included).
    static func routesShow(adminPort: Int, scratch: ScratchDirectory) async throws -> Subprocess.Result {
        let result = try await Subprocess.run([QLPBinary.path, "routes", "show"], environment: environment(scratch))
        #expect(result.error.contains("admin http://127.0.0.1:\(adminPort),"), "not the demo's admin API: \(result.error)")
        return result
    }

    /// The weight `routes show` prints for a chat target ("  gpt4        30%" under "chat  weighted").
    static func printedChatWeights(_ output: String) -> [String: Int] {
        let lines = output.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("chat ") }) else { return [:] }
        var out: [String: Int] = [:]
        for line in lines[(start + 1)...] {
            let words = line.split(separator: " ")
            guard words.count == 2, words[1].hasSuffix("%"), let value = Int(words[1].dropLast()) else { break }
            out[String(words[0])] = value
        }
        return out
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        return String(format: "%.2f s", Double(whole) + Double(attoseconds) / 1e18)
    }

    @Test func anOperatorShiftsChatByKeysSeesItTakeHoldInAuditAndCLIAndUndoesIt() async throws {
        // It times the observed share on screen: not while a load test runs.
        await MachineTurns.shared.take()
        defer { MachineTurns.shared.give() }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let adminPort = try freeLoopbackPort()
        let gatewayPort = try freeLoopbackPort()
        let status = ExitStatusFile(scratch)
        let started = ContinuousClock.now
        let tmux = try await TmuxSession.start(
            command: "sh -c '\(status.recording("\(QLPBinary.path) demo --admin-port \(adminPort) --gateway-port \(gatewayPort)"))'",
            width: 100, height: 30, environment: Self.environment(scratch))
        // kill-server hangs up on qlp (it exits on SIGHUP), whatever failed before.
        defer { tmux.kill() }
        let before = ["gpt4": 40, "gpt35": 40, "llama3": 20]
        let after = ["gpt4": 30, "gpt35": 46, "llama3": 24]

        // 1. Routing: the chat route as configured, with observed shares from the demo's own traffic; gpt4 selected.
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) {
            $0.contains("DEMO") && $0.contains("MONTHLY BUDGET")
        }
        try await tmux.send("4")
        let routing = try await tmux.waitFor("the chat route's rows with observed shares") {
            $0.contains("table v1") && Self.showsWeights($0, before) && Self.observed($0, "gpt4") != nil
        }
        #expect(Self.chatRow(routing, "gpt4")?.contains("▶") == true, "gpt4 is not selected:\n\(routing)")
        let shown = ContinuousClock.now - started

        // gpt4's share at the old weights, read for 3 s once the gateway's 4 s window has filled with the demo's
        // traffic (early on it counts a handful of requests and can read anything): how far noise moves it. The
        // gateway starts just before the rows show, later on a first run (the demo writes its usage history first)
        // and on a busy machine, so the wait counts from the rows as well as from the start.
        while ContinuousClock.now - started < .seconds(9) || ContinuousClock.now - started < shown + .seconds(6) {
            try await Task.sleep(for: .milliseconds(200))
        }
        var sharesBefore: [Int] = []
        let readFrom = ContinuousClock.now
        while ContinuousClock.now - readFrom < .seconds(3) {
            if let share = Self.observed(await tmux.screen(), "gpt4") { sharesBefore.append(share) }
            try await Task.sleep(for: .milliseconds(250))
        }
        let lowestBefore = try #require(sharesBefore.min(), "no observed share for gpt4 before the change")

        // 2. Two steps of -5 on gpt4, staged as a draft; the others rebalance in proportion.
        try await tmux.send("-")
        try await tmux.send("-")
        let draft = try await tmux.waitFor("the draft 30/46/24") { Self.showsWeights($0, after) && $0.contains("DRAFT: 1 change") }
        #expect(draft.contains("table v1"), "nothing is applied before confirming:\n\(draft)")
        try await tmux.send("Enter")
        let popup = try await tmux.waitFor("the diff popup") { $0.contains("Apply route change") && $0.contains("Apply? y yes / n no") }
        let popupWords = popup.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).joined(separator: " ")
        for line in ["chat gpt4 40 -> 30", "chat gpt35 40 -> 46", "chat llama3 20 -> 24", "as \(Self.operatorName), on table v1"] {
            #expect(popupWords.contains(line), "missing '\(line)' in the popup:\n\(popup)")
        }
        try await tmux.send("y")
        let pressed = ContinuousClock.now
        let applied = try await tmux.waitFor("table v2", timeout: .seconds(10)) { $0.contains("table v2") }
        let appliedAfter = ContinuousClock.now - pressed
        #expect(Self.showsWeights(applied, after), "the live table is not 30/46/24:\n\(applied)")
        #expect(applied.contains("applied v2: chat weights: gpt4 40→30, gpt35 40→46, llama3 20→24"), "\(applied)")

        // 3. The observed share follows, within 6 s of the y. The demo sends ~6 chat requests/s, shares are over the
        // gateway's last 4 s, the view polls each second, and the weighted policy is a smooth round robin: gpt4's share
        // falls from ~40% toward 30% as the window turns over, half way (35%) once half the window holds answers sent
        // at the new weights. At 40/40/20 the round robin gives gpt4 2 of every 5 chat requests, so a window of about
        // 20-24 of them reads within about 5 points of 40% (a request more or less in the window moves it ~4 points).
        // "Moved" is at least 5 points toward 30% (35% or less) and below anything it read at the old weights just
        // before: should noise have touched 35%, the bar is lower still, so a dip like those seen before does not count.
        let threshold = min(35, lowestBefore - 1)
        var readings: [(Duration, Int)] = []
        var movedAfter: Duration?
        while ContinuousClock.now - pressed < .seconds(15) {
            if let share = Self.observed(await tmux.screen(), "gpt4") {
                let at = ContinuousClock.now - pressed
                if readings.last?.1 != share { readings.append((at, share)) }
                if share <= threshold {
                    movedAfter = at
                    break
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let trace = readings.map { "\($0.1)% at \(Self.seconds($0.0))" }.joined(separator: ", ")
        print(
            "Routing: rows shown \(Self.seconds(shown)) after start; table v2 \(Self.seconds(appliedAfter)) after y; "
                + "gpt4 observed share at 40% weight read \(sharesBefore.min()!)-\(sharesBefore.max()!)% over 3 s; after y: \(trace); "
                + "moved to \(threshold)% or less after \(movedAfter.map(Self.seconds) ?? "never (15 s)")")
        let moved = try #require(movedAfter, "gpt4's observed share never reached \(threshold)% in 15 s: \(trace)")
        // The whole window has turned over 4 s after y and the view has polled within 1 s of that: a share still at
        // 40% then would mean the change did not take hold. One more second for a loaded machine's late poll (the
        // full suite once read 29% at 5.12 s, having read 36% at 4.06 s).
        #expect(moved <= .seconds(6), "gpt4's observed share reached \(threshold)% only \(Self.seconds(moved)) after y: \(trace)")

        // 4. The Audit view has the change, under the operator's name.
        try await tmux.send("7")
        // Waits for the table row itself (it names the operator): the bottom row's notice "applied v2: chat weights: …"
        // holds the same words, and a capture taken while the view is half drawn can show it before the table.
        let audit = try await tmux.waitFor("the change in the Audit view") { screen in
            screen.contains("ROUTE AUDIT") && Self.auditLine(screen, "chat weights: gpt4 40→30") != nil
        }
        let changeLine = Self.auditLine(audit, "chat weights: gpt4 40→30") ?? ""
        #expect(
            changeLine.contains(Self.operatorName) && changeLine.contains("applied") && changeLine.contains("1→2"),
            "the audit line is '\(changeLine)' in:\n\(audit)")

        // 5. Another process sees the new table through the admin API.
        let shownAfterChange = try await Self.routesShow(adminPort: adminPort, scratch: scratch)
        #expect(shownAfterChange.status == 0, "\(shownAfterChange.error)")
        #expect(shownAfterChange.output.contains("Route table version 2"), "\(shownAfterChange.output)")
        #expect(Self.printedChatWeights(shownAfterChange.output) == after, "\(shownAfterChange.output)")

        // 6. Undo from the Routing view: it asks first, then the table is 40/40/20 again as v3.
        try await tmux.send("4")
        try await tmux.waitFor("the Routing view") { $0.contains("table v2") }
        try await tmux.send("u")
        let undoPopup = try await tmux.waitFor("the undo popup") { $0.contains("Undo it? y yes / n no") }
        #expect(undoPopup.contains("undo: chat weights: gpt4 40→30"), "\(undoPopup)")
        try await tmux.send("y")
        let undone = try await tmux.waitFor("table v3", timeout: .seconds(10)) { $0.contains("table v3") }
        #expect(Self.showsWeights(undone, before), "the live table is not 40/40/20 again:\n\(undone)")
        #expect(undone.contains("undone, now v3"), "\(undone)")
        let shownAfterUndo = try await Self.routesShow(adminPort: adminPort, scratch: scratch)
        #expect(shownAfterUndo.status == 0, "\(shownAfterUndo.error)")
        #expect(shownAfterUndo.output.contains("Route table version 3"), "\(shownAfterUndo.output)")
        #expect(Self.printedChatWeights(shownAfterUndo.output) == before, "\(shownAfterUndo.output)")
        try await tmux.send("7")
        let undoAudit = try await tmux.waitFor("the undo in the Audit view") { screen in
            screen.contains("ROUTE AUDIT") && Self.auditLine(screen, "undo of #2") != nil
        }
        let undoLine = Self.auditLine(undoAudit, "undo of #2") ?? ""
        #expect(undoLine.contains(Self.operatorName) && undoLine.contains("2→3"), "the undo line is '\(undoLine)' in:\n\(undoAudit)")
        #expect(!(shownAfterChange.output + shownAfterChange.error + shownAfterUndo.output + shownAfterUndo.error).contains(Self.token))

        // 7. q quits with status 0.
        try await tmux.send("q")
        let code = try await status.wait()
        #expect(code == "0", "qlp demo's exit status: \(code ?? "none within \(ExitStatusFile.quitTimeout)")")
        print("Routing demo end to end: \(Self.seconds(ContinuousClock.now - started)) in all")
    }
}
