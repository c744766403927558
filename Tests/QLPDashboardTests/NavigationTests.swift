import Foundation
import QLPCanvas
import QLPDashboard
import QLPTerminal
import Testing

@testable import QLPFeed

@Suite struct NavigationTests {
    typealias F = DashboardFixtures

    @Test func numberKeysTabAndShiftTabReachEveryView() {
        var i = DashboardInteraction()
        let state = F.state()
        for view in DashboardView.allCases {
            _ = i.handle(.character(Character(String(view.rawValue))), state: state)
            #expect(i.view == view)
        }
        #expect(DashboardView.allCases.map(\.title) == ["Overview", "Budget", "Models", "Routing", "Monitor", "Alerts", "Audit", "Keys"])
        _ = i.handle(.tab, state: state)
        #expect(i.view == .overview)
        _ = i.handle(.backTab, state: state)
        #expect(i.view == .keys)
        _ = i.handle(.backTab, state: state)
        #expect(i.view == .audit)
    }

    @Test func colonNameSwitchesViews() {
        var i = DashboardInteraction()
        let state = F.state()
        for key in ":routing".map(Key.character) { _ = i.handle(key, state: state) }
        #expect(i.commandLine?.text == "routing")
        _ = i.handle(.enter, state: state)
        #expect(i.view == .routing)
        #expect(i.commandLine == nil)
    }

    @Test(arguments: DashboardView.allCases)
    func helpListsEveryKeyOfTheViewAndEachViewRenders(_ view: DashboardView) {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var i = DashboardInteraction()
            i.view = view
            i.showHelp = true
            let text = DashboardScreen(state: F.state(), interaction: i).render(size: size, context: F.context()).text
            // The eight view keys are one line: "1-8  views".
            #expect(text.contains("1-8"), "\(view) at \(size):\n\(text)")
            for binding in KeyBindings.bindings(for: view) {
                if case .show = binding.action { continue }
                #expect(text.contains(binding.label) && text.contains(binding.summary), "\(binding.label) in \(view) at \(size):\n\(text)")
            }
            #expect(text.contains("Keys: \(view.title)"))
        }
    }

    @Test(arguments: DashboardView.allCases)
    func theHelpBarShowsTheMainKeysOnEveryView(_ view: DashboardView) {
        var i = DashboardInteraction()
        i.view = view
        let canvas = DashboardScreen(state: F.state(), interaction: i).render(size: Size(width: 80, height: 24), context: F.context())
        let bar = canvas.lines.last ?? ""
        #expect(bar.contains("q quit") && bar.contains("? help") && bar.contains(": command"), "\(view): \(bar)")
        #expect(canvas.lines[0].contains("\(view.rawValue) \(view.title)"))
    }

    @Test func aViewsOwnKeysActOnlyThere() {
        var i = DashboardInteraction()
        let state = F.state()
        _ = i.handle(.character("s"), state: state)
        #expect(i.modelSort == .target)
        i.view = .models
        _ = i.handle(.character("s"), state: state)
        #expect(i.modelSort == .p95)
    }

    @Test func escClosesHelpBeforeAnythingElse() {
        var i = DashboardInteraction()
        i.view = .routing
        _ = i.handle(.character("?"), state: F.state())
        #expect(i.showHelp)
        _ = i.handle(.escape, state: F.state())
        #expect(!i.showHelp)
    }
}

@Suite struct CommandLineTests {
    typealias F = DashboardFixtures

    @Test func parsesEveryCommand() throws {
        #expect(try DashboardCommand.parse("audit") == .show(.audit))
        #expect(try DashboardCommand.parse("refresh 5s") == .refresh(.seconds(5)))
        #expect(try DashboardCommand.parse("refresh 2m") == .refresh(.seconds(120)))
        #expect(try DashboardCommand.parse("q") == .quit)
        #expect(try DashboardCommand.parse("theme light") == .theme("light"))
        #expect(
            try DashboardCommand.parse("route chat gpt4=40 gpt35=40 llama3=20")
                == .route(
                    name: "chat",
                    weights: [
                        .init(target: "gpt4", weight: 40), .init(target: "gpt35", weight: 40),
                        .init(target: "llama3", weight: 20),
                    ]))
    }

    @Test(arguments: [
        "bogus", "refresh", "refresh 0s", "refresh 5x", "refresh 2h", "route chat", "route chat gpt4", "route chat gpt4=x",
        "overview now", "theme",
    ])
    func badInputIsAnErrorNotACrash(_ line: String) {
        #expect(throws: DashboardCommand.ParseError.self) { try DashboardCommand.parse(line) }
        var i = DashboardInteraction()
        i.commandLine = .init(text: line)
        let effects = i.handle(.enter, state: F.state())
        #expect(effects.isEmpty)
        #expect(i.message?.isError == true)
        let bottom = DashboardScreen(state: F.state(), interaction: i).render(size: Size(width: 80, height: 24), context: F.context()).lines
            .last
        #expect(bottom?.isEmpty == false)
    }

    @Test func tabCompletesCommandsViewsRoutesAndTargets() throws {
        let completion = CommandCompletion(themeNames: ["dark", "light", "mono"], table: RoutingFixtures.table)
        #expect(completion.complete("rou").line == "rout")
        #expect(completion.complete("routi").line == "routing ")
        #expect(completion.candidates(for: "rou") == ["routing", "route"])
        #expect(completion.complete("au").line == "audit ")
        #expect(completion.complete("theme l").line == "theme light ")
        #expect(completion.complete("route c").line == "route chat ")
        #expect(completion.complete("rule s").line == "rule suspend ")
        #expect(completion.complete("rule suspend o").line == "rule suspend openai_over_95 ")
        #expect(try DashboardCommand.parse("rule resume openai_over_95") == .rule(name: "openai_over_95", suspended: false))
        #expect(completion.complete("route chat gpt4=40 g").line == "route chat gpt4=40 gpt35=")
        #expect(completion.complete("route chat gpt4=40 gpt35=40 l").line == "route chat gpt4=40 gpt35=40 llama3=")
        #expect(completion.candidates(for: "zz").isEmpty)
        // Without a way to switch themes, :theme is not offered.
        #expect(!CommandCompletion(themeNames: [], table: nil).candidates(for: "t").contains("theme"))
    }

    @Test func tabInTheCommandLineShowsCandidates() {
        var i = DashboardInteraction()
        let state = F.state()
        for key in [Key.character(":"), .character("r"), .character("o"), .tab] { _ = i.handle(key, state: state) }
        #expect(i.commandLine?.text == "rout")
        #expect(i.commandLine?.hint == "routing route")
        let bottom = DashboardScreen(state: state, interaction: i).render(size: Size(width: 80, height: 24), context: F.context()).lines
            .last
        #expect(bottom?.hasPrefix(":rout") == true)
        #expect(bottom?.contains("routing route") == true)
    }

    @Test func refreshCommandAsksForTheNewInterval() {
        var i = DashboardInteraction()
        i.commandLine = .init(text: "refresh 5s")
        #expect(i.handle(.enter, state: F.state()) == [.setRefreshInterval(.seconds(5))])
    }

    @Test func themeNeedsAThemeTheTerminalKnows() {
        var i = DashboardInteraction(themeNames: ["dark", "light"])
        i.commandLine = .init(text: "theme light")
        #expect(i.handle(.enter, state: F.state()) == [.setTheme("light")])
        i.commandLine = .init(text: "theme neon")
        #expect(i.handle(.enter, state: F.state()).isEmpty)
        #expect(i.message?.text.contains("unknown theme 'neon'") == true)
    }
}
