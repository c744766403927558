import Foundation
import QLPCanvas
import QLPCore
import QLPDashboard
import Testing

/// Issue 17: under a non-UTF-8 locale every glyph has an ASCII stand-in, so
/// the terminal never prints `?` for one ("j/?" in help, "40?20" in Audit).
@Suite struct AsciiScreenTests {
    typealias F = DashboardFixtures

    /// The graphemes of a canvas a terminal without UTF-8 would show as `?`.
    static func nonASCII(_ canvas: Canvas) -> [String] {
        canvas.lines.enumerated().compactMap { n, line in
            line.contains { !$0.isASCII } ? "row \(n): \(line)" : nil
        }
    }

    @Test(arguments: DashboardView.allCases)
    func everyViewAndItsHelpIsPlainASCII(_ view: DashboardView) {
        let state = ScreenLayoutTests.state()
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            for help in [false, true] {
                var i = DashboardInteraction()
                i.view = view
                i.showHelp = help
                _ = i.observe(state, now: F.now)
                let canvas = DashboardScreen(state: state, interaction: i).render(size: size, context: F.context(.ascii))
                #expect(Self.nonASCII(canvas).isEmpty, "\(view) help \(help) at \(size):\n\(canvas.text)")
            }
        }
    }

    @Test func helpNamesTheArrowKeysAndAuditArrowsReadAsArrows() {
        let state = ScreenLayoutTests.state()
        var i = DashboardInteraction()
        i.view = .routing
        i.showHelp = true
        let help = DashboardScreen(state: state, interaction: i).render(size: Size(width: 80, height: 24), context: F.context(.ascii)).text
        #expect(help.contains("j/Down") && help.contains("k/Up"), "\(help)")
        #expect(!help.contains("j/?"))
        i.view = .audit
        i.showHelp = false
        let audit = DashboardScreen(state: state, interaction: i).render(size: Size(width: 200, height: 50), context: F.context(.ascii))
            .text
        #expect(audit.contains("40->30"), "\(audit)")
    }
}
