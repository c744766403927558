import QLPCanvas

/// The `?` screen: every key of the current view, and where the log is.
struct HelpOverlay {
    var title: String = "Keys"
    var bindings: [KeyBinding]
    var readOnly: Bool = false
    var logFile: String
    var configPath: String?

    func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        var lines: [(String, String)] = bindings.map { ($0.label, $0.summary) }
        lines.append(("", ""))
        if readOnly { lines.append(("", "read-only: route changes are off")) }
        lines.append(("log", logFile))
        lines.append(("config", configPath ?? "built-in example (no config file found)"))
        let keyW = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
        let width = min(area.width - 4, max(44, (lines.map { keyW + 2 + DisplayWidth.of($0.1) }.max() ?? 0) + 4))
        // Two columns when the keys do not fit one.
        let rows = area.height - 2
        let columns = lines.count > rows ? 2 : 1
        let perColumn = (lines.count + columns - 1) / columns
        let columnW = columns == 1 ? width : min(area.width - 4, width * 2) / 2
        let rect = area.centered(width: columnW * columns, height: min(rows, perColumn) + 2)
        let inner = Frame(title: title).render(into: &canvas, rect: rect, glyphs: context.glyphs)
        for (n, line) in lines.enumerated() {
            let column = n / perColumn, row = n % perColumn
            guard row < inner.height else { continue }
            let x = inner.x + column * columnW
            canvas.put(line.0, x: x + 1, y: inner.y + row, role: .helpKey)
            canvas.put(DisplayWidth.truncate(line.1, to: columnW - keyW - 4, ellipsis: context.glyphs.ellipsis),
                       x: x + keyW + 3, y: inner.y + row, role: .normal)
        }
    }
}
