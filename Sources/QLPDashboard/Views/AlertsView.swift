import Foundation
import QLPCanvas
import QLPCore
import QLPStore

/// Every alert of this run, newest first: time, severity, source, text and
/// whether it was acknowledged or has cleared.
public struct AlertsView {
    public var book: AlertBook
    public var selected: Int
    public var bellEnabled: Bool
    /// Where each alert's notifications stand, by alert key; nil when no sink
    /// is configured (no DELIVERY column then).
    public var deliveries: [String: [SinkDelivery]]?

    public init(book: AlertBook, selected: Int = 0, bellEnabled: Bool = true, deliveries: [String: [SinkDelivery]]? = nil) {
        self.book = book
        self.selected = selected
        self.bellEnabled = bellEnabled
        self.deliveries = deliveries
    }

    static let baseColumns: [DataTable.Column] = [
        .init("TIME", width: 8, priority: 90),
        .init("SEVERITY", width: 8, priority: 80),
        .init("SOURCE", width: 9, priority: 40),
        .init("ALERT", width: 30, priority: 100, flexible: true),
        .init("STATUS", width: 8, priority: 70),
    ]
    static let deliveryColumn = DataTable.Column("DELIVERY", width: 9, priority: 75)

    var columns: [DataTable.Column] { deliveries == nil ? Self.baseColumns : Self.baseColumns + [Self.deliveryColumn] }

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        canvas.put("ALERTS", x: x, y: y, role: .title)
        let open = book.unacknowledged.count
        let status =
            "\(book.entries.filter(\.active).count) active \(context.glyphs.separator) \(open) unacknowledged "
            + "\(context.glyphs.separator) bell \(bellEnabled ? "on" : "off") for new critical alerts"
        canvas.put(DisplayWidth.truncate(status, to: width - 8, ellipsis: context.glyphs.ellipsis), x: x + 8, y: y, role: .muted)
        y += 2
        if book.entries.isEmpty {
            canvas.put("no alerts", x: x, y: y, role: .ok)
            return
        }
        let rows: [[DataTable.Content]] = book.entries.map { entry in
            let role: StyleRole =
                switch entry.alert.severity {
                case .info: .muted
                case .warning: .warning
                case .critical: .critical
                }
            let status = !entry.active ? "cleared" : (entry.acknowledged ? "acked" : "OPEN")
            var row: [DataTable.Content] = [
                .text(context.format.time(entry.firstSeen), .muted),
                .text(entry.alert.severity.label, entry.active ? role : .muted),
                .text(entry.alert.source.label, .normal),
                .text(entry.alert.text, entry.active ? .normal : .muted),
                .text(status, status == "OPEN" ? role : .muted),
            ]
            if let deliveries {
                let summary = AlertDeliverySummary(deliveries[entry.alert.key] ?? [])
                row.append(.text(summary.word, summary.role))
            }
            return row
        }
        let chosen = min(selected, rows.count - 1)
        let table = DataTable(columns: columns, rows: rows, selected: chosen)
        // On a narrow terminal the ALERT column cuts long texts: the selected
        // one is then shown whole under the table, with where its notifications stand.
        var detail = Self.detailLines(book.entries[chosen].alert.text, table: table, width: width, context: context)
        if let sinks = deliveries?[book.entries[chosen].alert.key], !sinks.isEmpty {
            detail += AlertDeliverySummary(sinks).detailLines(width: width, context: context)
        }
        let room = area.maxY - y - (detail.isEmpty ? 0 : detail.count + 1)
        var shown = table
        shown.offset = DataTable.offset(keeping: chosen, visible: room - 1, previous: 0, count: rows.count)
        shown.render(into: &canvas, rect: Rect(x: x, y: y, width: width, height: room), glyphs: context.glyphs)
        for (line, text) in detail.enumerated() {
            canvas.put(text, x: x, y: area.maxY - detail.count + line, role: .normal, maxWidth: width)
        }
    }

    /// Most lines the selected alert's whole text may take under the table.
    static let detailLineLimit = 3

    /// The selected alert's text wrapped to the view's width, when the table's
    /// ALERT column is too narrow for it; empty when it fits.
    static func detailLines(_ text: String, table: DataTable, width: Int, context: RenderContext) -> [String] {
        let alertColumn = table.columns.firstIndex { $0.title == "ALERT" }
        let shownWidth = table.layout(width: width).first { $0.index == alertColumn }?.width ?? 0
        guard DisplayWidth.of(text) > shownWidth else { return [] }
        var lines = DisplayWidth.wrap(text, to: width)
        if lines.count > detailLineLimit {
            // Joined with the next line, the last kept one is too wide: cut with an ellipsis.
            let last = lines[detailLineLimit - 1] + " " + lines[detailLineLimit]
            lines = Array(lines.prefix(detailLineLimit - 1)) + [DisplayWidth.truncate(last, to: width, ellipsis: context.glyphs.ellipsis)]
        }
        return lines
    }
}

/// One line under the header on every view: the most pressing unacknowledged
/// alert, and how many more there are.
struct AlertStrip {
    var alerts: [Alert]

    func render(into canvas: inout Canvas, row y: Int, context: RenderContext) {
        let width = canvas.size.width
        guard let first = alerts.first else { return }
        let role: StyleRole = first.severity == .critical ? .critical : (first.severity == .warning ? .warning : .muted)
        let more = alerts.count > 1 ? "  +\(alerts.count - 1) more, 6 to see" : "  6 to see"
        let room = max(0, width - 2 - DisplayWidth.of(more))
        var line = "\(first.severity.label): \(first.text)"
        if DisplayWidth.of(line) > room, let headline = first.headline { line = "\(first.severity.label): \(headline)" }
        let head = DisplayWidth.truncate(line, to: room, ellipsis: context.glyphs.ellipsis)
        let used = canvas.put(head, x: 1, y: y, role: role)
        canvas.put(more, x: 1 + used, y: y, role: .muted)
    }
}
