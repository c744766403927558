import Foundation
import QLPCanvas
import QLPCore
import Testing

@testable import QLPDashboard
@testable import QLPFeed

/// The Budget view rendered into a canvas and read as text: the category
/// table's figures for the fixture's plan and cost rows, and what fits at
/// each size.
@Suite struct BudgetViewTests {
    typealias F = DashboardFixtures

    /// The fixture's state with the Atlas credit read: £500 from 1 Oct, US$407.73 pending at 0.79 GBP per USD.
    static func stateWithAtlas() -> DashboardState {
        var plan = F.plan
        let grant = CreditGrant(
            amount: 500, period: DayRange(CivilDate(year: 2026, month: 10, day: 1)!, CivilDate(year: 2027, month: 9, day: 30)!)!)
        plan.atlasCredits = grant
        var state = DashboardState(identity: F.identity, plan: plan, costRefresh: .seconds(60))
        state.cost.succeed(
            CostPanel(overview: BudgetOverview(plan: plan, costs: F.costs, today: F.today), costs: F.costs, pages: 3, plan: plan),
            at: F.now.addingTimeInterval(-12))
        state.atlasConfigured = true
        let pending = AtlasInvoiceTotals(
            id: "inv-nov", status: "PENDING",
            period: DayRange(CivilDate(year: 2026, month: 11, day: 1)!, CivilDate(year: 2026, month: 11, day: 30)!)!,
            subtotalCents: 40_773, creditsCents: 0)
        state.atlas.succeed(
            AtlasCreditUse.compute(
                closed: [], pending: pending, grant: grant,
                rate: AtlasUSDRate(perUSD: F.d("0.79"), currency: .gbp), today: F.today),
            at: F.now.addingTimeInterval(-5))
        return state
    }

    static func render(_ state: DashboardState, _ size: Size, glyphs: GlyphSet = .unicode) -> Canvas {
        DashboardScreen(state: state, view: .budget).render(size: size, context: F.context(glyphs))
    }

    /// The line holding `label`, checked to hold `figures` in that order.
    static func expectRow(
        _ canvas: Canvas, _ label: String, _ figures: [String], at size: Size,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let line = canvas.lines.first(where: { $0.contains(label) }) else {
            Issue.record("no row for \(label) at \(size):\n\(canvas.text)", sourceLocation: sourceLocation)
            return
        }
        var rest = line[line.range(of: label)!.upperBound...]
        for figure in figures {
            guard let range = rest.range(of: figure) else {
                Issue.record("\(label) at \(size): \(figure) missing or out of order in \(line)", sourceLocation: sourceLocation)
                return
            }
            rest = rest[range.upperBound...]
        }
    }

    // Per day the fixture spends £13.25 on Compute and £0.03 on Event Grid (no bucket), £29.63 in all,
    // every day from 1 Oct to today (26 Nov): 57 days, 56 of them complete; 309 days from 26 Nov to the
    // 30 Sep 2027 expiry.

    @Test func tableFiguresAtFullWidth() {
        let size = Size(width: 200, height: 50)
        let canvas = Self.render(F.state(), size)
        let header = canvas.lines.first { $0.contains("CATEGORY") } ?? ""
        for title in ["ALLOCATED", "SPENT", "LEFT", "USED", "PER DAY", "AT EXPIRY", "MONTH-END", "RUNS OUT"] {
            #expect(header.contains(title), "\(title) in \(header)")
        }
        // Compute: 57 × 13.25 spent; 56 × 13.25 + 309 × 13.25 at expiry; November's 25 complete
        // days scaled to 30 at month-end; (2,000 − 742) / 13.25 = 95 days after 25 Nov to run out.
        Self.expectRow(
            canvas, "Compute (AKS)",
            [
                "£2,000.00", "£755.25", "£1,244.75", "37.8%", "£13.25", "£4,836.25", "£397.50",
                "28 Feb 2027",
            ], at: size)
        // Azure OpenAI at £9.80: 56 × 9.80 + 309 × 9.80 = 3,577 at expiry; (1,500 − 548.80) / 9.80 = 97.06 → 98 days.
        Self.expectRow(
            canvas, "Azure OpenAI",
            [
                "£1,500.00", "£558.60", "£941.40", "37.2%", "£9.80", "£3,577.00", "£294.00",
                "3 Mar 2027",
            ], at: size)
        // Monitoring at £1.40: £511 at expiry is over its £300; (300 − 78.40) / 1.40 = 158.3 → 159 days.
        Self.expectRow(
            canvas, "Monitoring & DevOps",
            [
                "£300.00", "£79.80", "£220.20", "26.6%", "£1.40", "£511.00", "£42.00",
                "3 May 2027",
            ], at: size)
        // Unmapped: no allocation; its burn is the credit's less the buckets'; the service is named.
        Self.expectRow(canvas, "Unmapped", ["-", "£1.71", "£0.03", "£10.95", "£0.90", "Event Grid"], at: size)
        // The whole credit; its month-end is the monthly budget's projection.
        Self.expectRow(canvas, "Total", ["£5,000.00", "£1,688.91", "£3,311.09", "33.8%", "£29.63", "£10,814.95", "£888.90"], at: size)
        #expect(canvas.text.contains("£888.90 linear"))
    }

    @Test func narrowTerminalsGetWholeUnitsAndKeepEveryColumnTheIssueNames() {
        let size = Size(width: 80, height: 24)
        let canvas = Self.render(Self.stateWithAtlas(), size)
        let text = canvas.text
        let header = canvas.lines.first { $0.contains("CATEGORY") } ?? ""
        for title in ["ALLOCATED", "SPENT", "LEFT", "PER DAY", "AT EXPIRY", "RUNS OUT"] {
            #expect(header.contains(title), "\(title) at 80x24: \(header)")
        }
        Self.expectRow(canvas, "Compute (AKS)", ["£2,000", "£755", "£1,245", "£13.25", "£4,836", "28 Feb 2027"], at: size)
        Self.expectRow(canvas, "Networking & Security", ["£400", "£117", "£283", "£2.05", "£748", "14 Apr 2027"], at: size)
        Self.expectRow(canvas, "Total", ["£5,000", "£1,689", "£3,311", "£29.63", "£10,815"], at: size)
        for label in [
            "Databases & Storage", "Monitoring & DevOps", "Unmapped", "MONTHLY BUDGET", "▲80%", "▲95%", "ATLAS CREDITS",
            "AZURE BUDGETS",
        ] {
            #expect(text.contains(label), "\(label) at 80x24:\n\(text)")
        }
        // The chart gives way first; the Atlas rate stays beside its figures.
        #expect(!text.contains("DAILY SPEND"))
        // One line: the percentage gives way to the rate.
        #expect(text.contains("ATLAS CREDITS  £322.11 of £500.00 · runs out 26 Dec 2026 · 0.79 GBP/USD"))
        Self.expectFits(canvas, size)
    }

    @Test(arguments: [
        Size(width: 80, height: 24), Size(width: 100, height: 30), Size(width: 120, height: 40),
        Size(width: 200, height: 50),
    ])
    func fitsWithoutCuttingAtEachSize(_ size: Size) {
        for state in [F.state(), Self.stateWithAtlas()] {
            let canvas = Self.render(state, size)
            Self.expectFits(canvas, size)
            for label in [
                "Compute (AKS)", "Azure OpenAI", "Databases & Storage", "Networking & Security", "Monitoring & DevOps",
                "Unmapped", "Total", "AZURE BUDGETS",
            ] {
                #expect(canvas.text.contains(label), "\(label) at \(size)")
            }
            #expect(canvas.lines.last?.contains("q quit") == true)
        }
    }

    @Test func tallTerminalsGetTheLast30DaysAgainstTheBudgetPace() throws {
        let canvas = Self.render(Self.stateWithAtlas(), Size(width: 200, height: 50))
        let text = canvas.text
        // £1,000 over November's 30 days.
        #expect(text.contains("DAILY SPEND  last 30 days"))
        #expect(text.contains("budget pace £33.33/day"))
        #expect(text.contains("28 Oct"))
        #expect(text.contains("today (partial)"))
        // Everything else at full size: the rate on its own line, the Azure part's title.
        #expect(text.contains("US$407.73 at 0.79 GBP per USD (budget.exchange_rates.USD)"))
        let chart = try #require(canvas.lines.firstIndex { $0.contains("DAILY SPEND") })
        let table = try #require(canvas.lines.firstIndex { $0.contains("CATEGORY") })
        let atlas = try #require(canvas.lines.firstIndex { $0.contains("ATLAS CREDITS") })
        #expect(table < chart && chart < atlas)
    }

    @Test func asciiTerminalsGetNoUnicodeAndStillFit() {
        let size = Size(width: 80, height: 24)
        let canvas = Self.render(Self.stateWithAtlas(), size, glyphs: .ascii)
        let ascii = canvas.text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii, "\(canvas.text)")
        #expect(canvas.text.contains("GBP 2,000"))
        // "GBP " is wide: after the pence, the labels give way, cut with the ASCII ellipsis.
        let header = canvas.lines.first { $0.contains("CATEGORY") } ?? ""
        for title in ["ALLOCATED", "SPENT", "LEFT", "PER DAY", "AT EXPIRY", "RUNS OUT"] { #expect(header.contains(title)) }
        #expect(canvas.text.contains("Databases & S~"))
        Self.expectRow(canvas, "Compute (AKS)", ["GBP 2,000", "GBP 755", "GBP 1,245", "GBP 13.25", "GBP 4,836", "28 Feb 2027"], at: size)
        for (n, line) in canvas.lines.enumerated() where n > 0 && n < size.height - 1 {
            #expect(line.count < size.width, "row \(n) runs to the edge: \(line)")
        }
    }

    static func expectFits(_ canvas: Canvas, _ size: Size, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            !canvas.text.replacingOccurrences(of: "fetching…", with: "").contains("…"), "cut at \(size):\n\(canvas.text)",
            sourceLocation: sourceLocation)
        for (n, line) in canvas.lines.enumerated() where n > 0 && n < size.height - 1 {
            #expect(line.count < size.width, "row \(n) at \(size) runs to the edge: \(line)", sourceLocation: sourceLocation)
        }
    }
}

/// The order in which the Budget view's parts give way.
@Suite struct BudgetLayoutTests {
    /// Five buckets (header, 5, Unmapped, Total), Atlas read, one Azure budget (header and its row).
    static let parts = BudgetLayout.Parts(tableRows: 8, atlasLines: 2, azureRows: 2, azureHasNote: true)

    @Test func tallTerminalsShowEverythingAndTheChart() {
        // 200x50 leaves 46 rows for the view.
        let layout = BudgetLayout.fit(height: 46, parts: Self.parts)
        #expect(
            layout
                == BudgetLayout(
                    chartRows: 12, azureTable: true, azureNote: true, atlasTwoLines: true, monthlySpacing: true,
                    gaps: true))
        #expect(layout.rows(Self.parts) <= 46)
    }

    @Test func theChartGoesFirstThenTheFootnote() {
        // 100x30: 26 rows; everything but the chart needs 27.
        #expect(BudgetLayout.full.rows(Self.parts) == 27)
        let layout = BudgetLayout.fit(height: 26, parts: Self.parts)
        #expect(
            layout
                == BudgetLayout(
                    chartRows: 0, azureTable: true, azureNote: false, atlasTwoLines: true, monthlySpacing: true,
                    gaps: true))
    }

    @Test func at80x24TheAzureTableAtlasRateLineAndMonthlySpacingGiveWay() {
        let layout = BudgetLayout.fit(height: 20, parts: Self.parts)
        #expect(
            layout
                == BudgetLayout(
                    chartRows: 0, azureTable: false, azureNote: false, atlasTwoLines: false, monthlySpacing: false,
                    gaps: true))
        #expect(layout.rows(Self.parts) == 20)
    }

    @Test func moreRowsNeverShowLess() {
        var previous: BudgetLayout?
        for height in 10...60 {
            let layout = BudgetLayout.fit(height: height, parts: Self.parts)
            if layout != BudgetLayout.fit(height: 10, parts: Self.parts) { #expect(layout.rows(Self.parts) <= height) }
            if let previous {
                #expect(layout.chartRows >= previous.chartRows)
                for keyPath in [\BudgetLayout.azureTable, \.azureNote, \.atlasTwoLines, \.monthlySpacing, \.gaps] {
                    #expect(!previous[keyPath: keyPath] || layout[keyPath: keyPath], "height \(height)")
                }
            }
            previous = layout
        }
    }
}
