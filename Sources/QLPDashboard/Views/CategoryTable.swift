import Foundation
import QLPCanvas
import QLPCore

/// The credit's buckets as a table: one row per category of the allocation,
/// then the spend no bucket claims (shown, never dropped) and, where asked,
/// the whole credit. The Overview shows a short one and the Budget view the
/// full one; each picks its columns, and the table fits them to the width.
struct CategoryTable {
    enum Column: Equatable {
        case allocated, spent, remaining
        /// The share used, with a gauge taking the width left over.
        case used
        case burnRate
        /// Projected spend at the credit's expiry (needs an outlook).
        case atExpiry
        /// This month's linear projection (needs an outlook).
        case monthEnd
        case runsOut

        var title: String {
            switch self {
            case .allocated: "ALLOCATED"
            case .spent: "SPENT"
            case .remaining: "LEFT"
            case .used: "USED"
            case .burnRate: "PER DAY"
            case .atExpiry: "AT EXPIRY"
            case .monthEnd: "MONTH-END"
            case .runsOut: "RUNS OUT"
            }
        }
    }

    /// How the Unmapped row reads.
    enum UnmappedStyle {
        /// Its spend, then the services it covers as free text (the Overview).
        case note
        /// Figures in the columns that apply, the services in the last one (the Budget view).
        case figures
    }

    var overview: BudgetOverview
    /// Projections for `atExpiry`, `monthEnd` and the Unmapped row's figures; without it those cells read "-".
    var outlook: BudgetOutlook?
    /// The first column's heading.
    var title: String
    var columns: [Column]
    /// When the width runs short these go first, in this order; then money
    /// loses its pence (burn rates keep theirs), then labels are cut with an ellipsis.
    var giveWay: [Column] = []
    var unmapped: UnmappedStyle = .note
    /// A last row for the whole credit, unmapped spend included.
    var showsTotal = false
    /// The gauge beside USED is drawn when at least this many cells are left for it.
    var minimumGauge = 4
    /// At most this many cells go to the gauge (nil: all that is left); the table ends sooner rather than spreading out.
    var maximumGauge: Int?

    /// Header, a row per bucket, Unmapped, and the total if shown.
    var height: Int { 2 + overview.categories.count + (showsTotal ? 1 : 0) }

    /// What fits in a width: the columns kept, their widths, whether money is in whole units, and the gauge.
    struct Layout: Equatable {
        var columns: [Column]
        var widths: [Int]
        var labelWidth: Int
        var wholeUnits: Bool
        /// Cells for the gauge after USED (0: none).
        var gauge: Int
        /// Cells between columns: 1, or 2 when there is no gauge to take the room.
        var gap = 1
    }

    private struct Cell {
        var text: String
        var role: StyleRole
    }

    private struct Row {
        var label: String
        var labelRole: StyleRole
        var cells: [Column: Cell]
        /// Fills the gauge; nil draws none.
        var fraction: Decimal?
        /// Free text after the spend (note style) or in the last column (figures style).
        var note: Cell?
    }

    /// Draws the table from `y`; returns the row after it.
    @discardableResult
    func render(into canvas: inout Canvas, x: Int, y start: Int, width: Int, context: RenderContext) -> Int {
        let (layout, rows) = fitted(width: width, format: context.format)
        let ellipsis = context.glyphs.ellipsis
        var y = start
        // The header.
        var cx = x
        canvas.put(title, x: cx, y: y, width: layout.labelWidth, role: .title, ellipsis: ellipsis)
        cx += layout.labelWidth + layout.gap
        for (column, w) in zip(layout.columns, layout.widths) {
            canvas.put(column.title, x: cx, y: y, width: w, role: .title, alignRight: column != .runsOut, ellipsis: ellipsis)
            cx += w + layout.gap + (column == .used ? layout.gauge + 1 : 0)
        }
        y += 1
        for row in rows {
            cx = x
            canvas.put(row.label, x: cx, y: y, width: layout.labelWidth, role: row.labelRole, ellipsis: ellipsis)
            cx += layout.labelWidth + layout.gap
            for (index, (column, w)) in zip(layout.columns, layout.widths).enumerated() {
                let isLast = index == layout.columns.count - 1
                if isLast, unmapped == .figures, let note = row.note {
                    canvas.put(DisplayWidth.truncate(note.text, to: x + width - cx, ellipsis: ellipsis), x: cx, y: y, role: note.role)
                } else if let cell = row.cells[column] {
                    canvas.put(cell.text, x: cx, y: y, width: w, role: cell.role, alignRight: column != .runsOut, ellipsis: ellipsis)
                }
                cx += w + layout.gap
                if column == .used {
                    if let fraction = row.fraction, layout.gauge > 0 {
                        Gauge(fraction: fraction.doubleForDisplay, fillRole: role(for: fraction))
                            .render(into: &canvas, x: cx, y: y, width: layout.gauge, glyphs: context.glyphs)
                    }
                    cx += layout.gauge + 1
                }
                if column == .spent, unmapped == .note, let note = row.note {
                    // The note runs from after the spend to the edge; nothing else shares the row.
                    let nx = cx + 1
                    canvas.put(DisplayWidth.truncate(note.text, to: x + width - nx, ellipsis: ellipsis), x: nx, y: y, role: note.role)
                    break
                }
            }
            y += 1
        }
        return y
    }

    /// The widest layout that fits `width` (leaving its last cell free).
    func layout(width: Int, format: DisplayFormat) -> Layout { fitted(width: width, format: format).0 }

    /// The layout and the rows' text in its units.
    private func fitted(width: Int, format: DisplayFormat) -> (Layout, [Row]) {
        var kept = columns
        var wholeUnits = false
        var giving = giveWay[...]
        // Formatting money is the costly part: each unit's rows are made once.
        var made: [Bool: [Row]] = [:]
        while true {
            let rows = made[wholeUnits] ?? rows(wholeUnits: wholeUnits, format: format)
            made[wholeUnits] = rows
            let labelWidth = max(DisplayWidth.of(title), rows.map { DisplayWidth.of($0.label) }.max() ?? 0)
            let widths = kept.map { column in
                max(
                    column == .used ? 6 : 0, DisplayWidth.of(column.title),
                    rows.compactMap { $0.cells[column].map { DisplayWidth.of($0.text) } }.max() ?? 0)
            }
            let hasGauge = kept.contains(.used)
            // One cell before every column, and one more before the gauge.
            let needed = labelWidth + widths.reduce(0, +) + kept.count + (hasGauge ? minimumGauge + 1 : 0)
            let room = width - 1
            if needed <= room {
                let gauge = hasGauge ? min(room - needed + minimumGauge, maximumGauge ?? .max) : 0
                let gap = !hasGauge && needed + kept.count <= room ? 2 : 1
                return (Layout(columns: kept, widths: widths, labelWidth: labelWidth, wholeUnits: wholeUnits, gauge: gauge, gap: gap), rows)
            }
            if let next = giving.popFirst() {
                kept.removeAll { $0 == next }
                continue
            }
            if !wholeUnits {
                wholeUnits = true
                continue
            }
            // Last resort: the labels give up what is missing (never below a few cells).
            let label = max(6, labelWidth - (needed - room))
            return (
                Layout(
                    columns: kept, widths: widths, labelWidth: label, wholeUnits: wholeUnits,
                    gauge: hasGauge ? minimumGauge : 0), rows
            )
        }
    }

    // MARK: - Content

    private func rows(wholeUnits: Bool, format f: DisplayFormat) -> [Row] {
        let currency = overview.currency
        let whole = MoneyFormat(symbolOverride: f.money.symbolOverride, fractionDigits: 0)
        func money(_ amount: Decimal) -> String {
            wholeUnits ? whole.string(amount, currency: currency) : f.money(amount, currency)
        }
        func rate(_ rate: BurnRate?) -> Cell { Cell(text: rate.map { f.money($0.perDay, currency) } ?? "-", role: .normal) }
        let expiry = overview.creditPeriod.last

        func row(_ position: CreditPosition, outlook: SpendOutlook?, labelRole: StyleRole) -> Row {
            let (out, outRole) = ExhaustionWording.short.text(position.exhaustion, expiry: expiry, format: f)
            var cells: [Column: Cell] = [
                .allocated: Cell(text: money(position.allocation), role: .muted),
                .spent: Cell(text: money(position.spent), role: .normal),
                .remaining: Cell(text: money(position.remaining), role: position.remaining < 0 ? .critical : .normal),
                .used: Cell(text: PercentFormat.string(position.fractionUsed), role: role(for: position.fractionUsed)),
                .burnRate: rate(position.burnRate),
                .runsOut: Cell(text: out, role: outRole),
            ]
            cells[.atExpiry] = projection(outlook?.atExpiry, fraction: outlook?.fractionAtExpiry, money: money)
            cells[.monthEnd] = projection(outlook?.monthEnd?.amount, fraction: nil, money: money)
            return Row(label: position.label, labelRole: labelRole, cells: cells, fraction: position.fractionUsed, note: nil)
        }

        var rows = overview.categories.map { entry in
            row(entry.position, outlook: outlook?.categories.first { $0.category == entry.category }?.outlook, labelRole: .normal)
        }

        // Spend no bucket claims.
        let spend = overview.unmapped
        let names = spend.services.map { $0.name.isEmpty ? "(no service name)" : $0.name }
        var unmappedRow = Row(
            label: "Unmapped", labelRole: spend.spent == 0 ? .muted : .warning,
            cells: [.spent: Cell(text: money(spend.spent), role: spend.spent == 0 ? .muted : .normal)],
            fraction: nil, note: nil)
        switch unmapped {
        case .note:
            let text = names.isEmpty ? "no spend outside the buckets" : "not in any bucket: " + names.joined(separator: ", ")
            unmappedRow.note = Cell(text: text, role: .muted)
        case .figures:
            unmappedRow.cells[.allocated] = Cell(text: "-", role: .muted)
            unmappedRow.cells[.burnRate] = rate(outlook?.unmappedBurnRate)
            unmappedRow.cells[.atExpiry] = projection(outlook?.unmapped.atExpiry, fraction: nil, money: money)
            unmappedRow.cells[.monthEnd] = projection(outlook?.unmapped.monthEnd?.amount, fraction: nil, money: money)
            unmappedRow.note = Cell(text: names.isEmpty ? "none" : names.joined(separator: ", "), role: .muted)
        }
        rows.append(unmappedRow)

        if showsTotal {
            var total = row(overview.credit, outlook: outlook?.credit, labelRole: .title)
            total.label = "Total"
            rows.append(total)
        }
        return rows
    }

    /// A projected amount, critical when it passes the allocation.
    private func projection(_ amount: Decimal?, fraction: Decimal?, money: (Decimal) -> String) -> Cell {
        guard let amount else { return Cell(text: "-", role: .muted) }
        let role = fraction.map { ThresholdStyle.role(forFraction: $0, thresholds: overview.monthly.thresholds, quiet: .normal) } ?? .normal
        return Cell(text: money(amount), role: role)
    }

    /// A bucket's share used, coloured by the monthly budget's alert thresholds.
    func role(for fraction: Decimal) -> StyleRole {
        ThresholdStyle.role(forFraction: fraction, thresholds: overview.monthly.thresholds)
    }
}
