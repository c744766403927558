import Foundation
import QLPCanvas

/// How the Budget view spends its rows. On a tall terminal everything shows,
/// the 30-day chart taking what is left (up to ``maximumChartRows``). On a
/// short one the parts give way in this order, each step only when the one
/// before was not enough:
///
/// 1. the 30-day chart;
/// 2. the footnote under Azure's budgets;
/// 3. Azure's budgets table, which becomes one summary line (the first
///    monthly budget's figures stay in the Azure column at the top);
/// 4. the Atlas credit's second line, its rate joining the first;
/// 5. the blank lines inside the monthly budget;
/// 6. the blank lines between the parts.
///
/// The monthly budget, its gauge and the category table never give way. At
/// 80x24 with the five buckets, Atlas and one Azure budget, steps 1-5 apply.
struct BudgetLayout: Equatable {
    /// Rows of the chart, title and date axis included (0: not shown).
    var chartRows: Int
    /// Azure's budgets as a table (else one summary line).
    var azureTable: Bool
    /// The footnote under that table.
    var azureNote: Bool
    /// Atlas credits on two lines (else one).
    var atlasTwoLines: Bool
    /// Blank lines inside the monthly budget.
    var monthlySpacing: Bool
    /// Blank lines between the parts.
    var gaps: Bool

    static let maximumChartRows = 12

    /// The parts' sizes, as the data makes them.
    struct Parts: Equatable {
        /// The category table's rows, header included.
        var tableRows: Int
        /// Lines the Atlas part has at most (0: not shown; 1: a message; 2: figures and their rate).
        var atlasLines: Int
        /// Rows under the AZURE BUDGETS title when shown as a table (header and budgets, or a one-line message; 0 while
        /// nothing has arrived).
        var azureRows: Int
        /// Whether the table has a footnote (only when there are budgets).
        var azureHasNote: Bool
    }

    static let full = BudgetLayout(
        chartRows: 0, azureTable: true, azureNote: true, atlasTwoLines: true, monthlySpacing: true,
        gaps: true)

    /// The fullest layout that fits `height` rows; the most compact one when none does.
    static func fit(height: Int, parts: Parts) -> BudgetLayout {
        var layout = full
        let withoutChart = layout.rows(parts)
        let chartRoom = height - withoutChart - 1
        if chartRoom >= DailySpendChart.minimumHeight {
            layout.chartRows = min(maximumChartRows, chartRoom)
            return layout
        }
        let steps: [(inout BudgetLayout) -> Void] = [
            { $0.azureNote = false },
            { $0.azureTable = false },
            { $0.atlasTwoLines = false },
            { $0.monthlySpacing = false },
            { $0.gaps = false },
        ]
        for step in steps where layout.rows(parts) > height { step(&layout) }
        return layout
    }

    /// Rows of the monthly budget: title, column headings, three lines of figures, gauge and marks.
    var monthlyRows: Int { monthlySpacing ? 9 : 7 }

    func atlasRows(_ parts: Parts) -> Int { min(parts.atlasLines, atlasTwoLines ? 2 : 1) }

    func azureRows(_ parts: Parts) -> Int {
        guard azureTable else { return 1 }
        return 1 + parts.azureRows + (azureNote && parts.azureHasNote ? 2 : 0)
    }

    /// Rows the whole view takes.
    func rows(_ parts: Parts) -> Int {
        let heights = [monthlyRows, parts.tableRows, chartRows, atlasRows(parts), azureRows(parts)].filter { $0 > 0 }
        return heights.reduce(0, +) + (gaps ? heights.count - 1 : 0)
    }
}
