import QLPCanvas

/// The `?` screen: every key of the current view, and where the log is.
struct HelpOverlay {
    var title: String = "Keys"
    var bindings: [KeyBinding]
    var readOnly: Bool = false
    var logFile: String
    var configPath: String?

    func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let keys: [(String, String)] = bindings.map { ($0.label, $0.summary) }
        // Paths span the whole box: they must show whole more than keys need a second column.
        var footer: [(String, String)] = [("log", logFile), ("config", configPath ?? "built-in example (no config file found)")]
        if readOnly { footer.insert(("", "read-only: route changes are off"), at: 0) }
        let keyW = (keys + footer).map { DisplayWidth.of($0.0) }.max() ?? 0
        let keysW = (keys.map { keyW + 2 + DisplayWidth.of($0.1) }.max() ?? 0) + 4
        let footerW = (footer.map { keyW + 2 + DisplayWidth.of($0.1) }.max() ?? 0) + 4
        let rows = area.height - 2
        // Two columns when the keys do not fit one.
        let columns = keys.count + footer.count + 1 > rows ? 2 : 1
        let perColumn = (keys.count + columns - 1) / columns
        let width = min(area.width - 2, max(44, keysW * columns, footerW))
        let height = min(rows, perColumn + 1 + footer.count) + 2
        let rect = area.centered(width: width, height: height)
        let inner = Frame(title: title).render(into: &canvas, rect: rect, glyphs: context.glyphs)
        let columnW = inner.width / columns
        for (n, line) in keys.enumerated() {
            let column = n / perColumn, row = n % perColumn
            guard row < inner.height - footer.count - 1 else { continue }
            let x = inner.x + column * columnW
            canvas.put(line.0, x: x + 1, y: inner.y + row, role: .helpKey)
            canvas.put(DisplayWidth.truncate(line.1, to: columnW - keyW - 4, ellipsis: context.glyphs.ellipsis),
                       x: x + keyW + 3, y: inner.y + row, role: .normal)
        }
        for (n, line) in footer.enumerated() {
            let y = inner.maxY - footer.count + n
            canvas.put(line.0, x: inner.x + 1, y: y, role: .helpKey)
            canvas.put(DisplayWidth.truncate(line.1, to: inner.width - keyW - 4, ellipsis: context.glyphs.ellipsis),
                       x: inner.x + keyW + 3, y: y, role: .muted)
        }
    }
}
