import QLPCanvas
import QLPCore

/// The `?` screen, two pages: every key of the current view (and where the
/// log is), then, on `?` again, what the view's columns and abbreviations mean.
///
/// k9s and htop take the whole screen for help because theirs is modal: any
/// key closes it. Here the view's keys keep working under the help (an
/// operator can read "+ weight +5" and press it), so the box must not hide
/// what those keys change: it goes to whichever of nine places (corners, edge
/// middles, centre) covers the least text, bars and blank counting less.
/// Nine fixed places rather than any cell keep it from wandering as values
/// change, which would repaint the screen and distract.
struct HelpOverlay {
    enum Page: Sendable, Equatable {
        case keys
        case columns
    }

    var title: String = "Keys"
    var bindings: [KeyBinding]
    var readOnly: Bool = false
    var logFile: String
    var configPath: String?
    /// The embedded gateway's addresses (and the demo's token), so that
    /// `qlp routes` or an application can be pointed at them.
    var gateway: GatewayAddresses? = nil
    var page: Page = .keys
    /// The view whose columns the second page explains.
    var view: DashboardView = .overview

    /// The keys, with the seven view keys folded into one line.
    var keyLines: [(String, String)] {
        var lines: [(String, String)] = []
        var foldedViews = false
        for binding in bindings {
            if case .show = binding.action {
                guard !foldedViews else { continue }
                foldedViews = true
                lines.append(("1-\(DashboardView.allCases.count)", "views"))
            } else {
                lines.append((binding.label, binding.summary))
            }
        }
        return lines
    }

    func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        var keys: [(String, String)]
        var footer: [(String, String)]
        switch page {
        case .keys:
            keys = keyLines
            // Paths span the whole box: they must show whole more than keys need a second column.
            footer = [
                ("?", "again: what this view's columns mean"), ("log", logFile),
                ("config", configPath ?? "built-in example (no config file found)"),
            ]
            if let gateway {
                footer.append(("gateway", gateway.gateway + " (OpenAI-compatible)"))
                footer.append(("admin", gateway.admin.map { $0 + " (qlp routes finds it)" } ?? "not listening (the log says why)"))
                if let token = gateway.demoAdminToken { footer.append(("token", token.reveal() + " (this demo's own)")) }
            }
            if readOnly { footer.insert(("", "read-only: route changes are off"), at: 0) }
        case .columns:
            keys = ViewLegend.terms(for: view).map { ($0.term, $0.meaning) }
            footer = [("?", "again or Esc: close help")]
        }
        let keyW = (keys + footer).map { DisplayWidth.of($0.0) }.max() ?? 0
        let keysW = (keys.map { keyW + 2 + DisplayWidth.of($0.1) }.max() ?? 0) + 4
        let footerW = (footer.map { keyW + 2 + DisplayWidth.of($0.1) }.max() ?? 0) + 4
        let rows = area.height - 2
        // Two columns when the keys do not fit one; the legend is one column, its meanings cut with "…" at worst.
        let columns = page == .keys && keys.count + footer.count + 1 > rows ? 2 : 1
        let width = min(area.width - 2, max(44, keysW * columns, footerW))
        if page == .columns {
            // A meaning longer than the box continues on the next lines, under itself.
            let room = max(10, width - 2 - keyW - 4)
            keys = keys.flatMap { term, meaning in
                DisplayWidth.wrap(meaning, to: room).enumerated().map { ($0.offset == 0 ? term : "", $0.element) }
            }
        }
        let perColumn = (keys.count + columns - 1) / columns
        let height = min(rows, perColumn + 1 + footer.count) + 2
        let rect = Self.leastCovering(width: width, height: height, in: area, over: canvas)
        let inner = Frame(title: title).render(into: &canvas, rect: rect, glyphs: context.glyphs)
        let columnW = inner.width / columns
        for (n, line) in keys.enumerated() {
            let column = n / perColumn
            let row = n % perColumn
            guard row < inner.height - footer.count - 1 else { continue }
            let x = inner.x + column * columnW
            canvas.put(line.0, x: x + 1, y: inner.y + row, role: .helpKey)
            canvas.put(
                DisplayWidth.truncate(line.1, to: columnW - keyW - 4, ellipsis: context.glyphs.ellipsis),
                x: x + keyW + 3, y: inner.y + row, role: .normal)
        }
        for (n, line) in footer.enumerated() {
            let y = inner.maxY - footer.count + n
            canvas.put(line.0, x: inner.x + 1, y: y, role: .helpKey)
            canvas.put(
                DisplayWidth.truncate(line.1, to: inner.width - keyW - 4, ellipsis: context.glyphs.ellipsis),
                x: inner.x + keyW + 3, y: y, role: .muted)
        }
    }

    /// Where a `width` x `height` box hides the least of what `canvas` shows in
    /// `area`: the first row (the title bar) and the last (the help bar) stay
    /// clear whenever the box leaves room; ties go to the place nearest the centre.
    static func leastCovering(width: Int, height: Int, in area: Rect, over canvas: Canvas) -> Rect {
        let centred = area.centered(width: width, height: height)
        let box = Size(width: centred.width, height: centred.height)
        let clear = box.height <= area.height - 2 ? 1 : 0
        let xs = [area.x + min(1, area.width - box.width), centred.x, area.maxX - box.width - min(1, area.width - box.width)]
        let ys = [area.y + clear, centred.y, area.maxY - box.height - clear]
        var best = centred
        var bestCost = Int.max
        var bestDistance = Int.max
        for y in Set(ys).sorted() {
            for x in Set(xs).sorted() {
                let candidate = Rect(x: x, y: y, width: box.width, height: box.height)
                let cost = hidden(by: candidate, in: canvas)
                let distance = abs(x - centred.x) + abs(y - centred.y)
                if cost < bestCost || (cost == bestCost && distance < bestDistance) {
                    (best, bestCost, bestDistance) = (candidate, cost, distance)
                }
            }
        }
        return best
    }

    /// How much `rect` would hide: a letter, digit or sign (a name, a figure) four, any other mark (a bar, a
    /// rule) one, a blank nothing.
    static func hidden(by rect: Rect, in canvas: Canvas) -> Int {
        var cost = 0
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX {
                let grapheme = canvas[x, y].grapheme
                if grapheme == " " { continue }
                cost += grapheme.isLetter || grapheme.isNumber || grapheme.isCurrencySymbol || grapheme == "%" ? 4 : 1
            }
        }
        return cost
    }
}
