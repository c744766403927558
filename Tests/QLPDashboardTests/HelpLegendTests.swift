import Foundation
import QLPCanvas
import QLPCore
import QLPDashboard
import Testing

/// Issue 17: `?` explains what a view shows, not only its keys: `?` again
/// lists each column and abbreviation of the view, whole at 80x24.
@Suite struct HelpLegendTests {
    typealias F = DashboardFixtures

    static func secondPage(_ view: DashboardView, size: Size = Size(width: 80, height: 24), glyphs: GlyphSet = .unicode) -> String {
        let state = ScreenLayoutTests.state()
        var i = DashboardInteraction()
        i.view = view
        _ = i.handle(.character("?"), state: state)
        _ = i.handle(.character("?"), state: state)
        return DashboardScreen(state: state, interaction: i).render(size: size, context: F.context(glyphs)).text
    }

    /// Terms each view's page must explain: its columns and the abbreviations the trial found unexplained.
    static let expected: [DashboardView: [String]] = [
        .overview: ["BUCKET", "PER DAY", "RUNS OUT", "Unmapped", "linear projection"],
        .budget: ["AT EXPIRY", "≥80 ≥95 >100F", "MONTH-END", "Azure forecast", "linear projection", "GBP/USD"],
        .models: ["P50 P95 P99", "TTFT", "SHARE", "BREAKER", "ERR%"],
        .routing: ["weight", "observed share", "fallback", "DRAINED"],
        .monitor: ["LATEST", "UNIT", "/5min", "mc", "LAST 3 HOURS"],
        .alerts: ["SEVERITY", "STATUS"],
        .audit: ["WHO", "CHANGE", "OUTCOME", "VERSION"],
        .keys: ["SPENT", "BUDGET", "USED", "RPM TPM", "REFUSED", "TOP ROUTES"],
    ]

    @Test(arguments: DashboardView.allCases)
    func questionMarkTwiceExplainsTheViewsColumns(_ view: DashboardView) {
        let text = Self.secondPage(view)
        #expect(text.contains("Columns: \(view.title)"), "\(text)")
        for term in Self.expected[view] ?? [] {
            #expect(text.contains(term), "\(view): '\(term)' not explained:\n\(text)")
        }
        // Whole: wrapped, never cut (the box's rows; the view under it may cut its own).
        let box = text.split(separator: "\n").filter { $0.contains("│") }
        #expect(!box.contains { $0.contains("…") }, "\(view):\n\(text)")
    }

    @Test func aThirdQuestionMarkCloses() {
        var i = DashboardInteraction()
        let state = F.state()
        for _ in 0..<3 { _ = i.handle(.character("?"), state: state) }
        #expect(!i.showHelp)
        _ = i.handle(.character("?"), state: state)
        let text = DashboardScreen(state: state, interaction: i).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(text.contains("Keys: Overview"), "a closed help reopens on its first page:\n\(text)")
    }
}
