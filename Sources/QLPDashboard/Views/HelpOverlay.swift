import QLPCanvas

/// The `?` screen: every key of the current view, and where the log is.
struct HelpOverlay {
    var bindings: [KeyBinding]
    var logFile: String
    var configPath: String?

    func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        var lines: [(String, String)] = bindings.map { ($0.label, $0.summary) }
        lines.append(("", ""))
        lines.append(("log", logFile))
        lines.append(("config", configPath ?? "built-in example (no config file found)"))
        let keyW = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
        let width = min(area.width - 4, max(44, (lines.map { keyW + 2 + DisplayWidth.of($0.1) }.max() ?? 0) + 4))
        let rect = area.centered(width: width, height: lines.count + 2)
        let inner = Frame(title: "Keys").render(into: &canvas, rect: rect, glyphs: context.glyphs)
        for (i, line) in lines.enumerated() where i < inner.height {
            canvas.put(line.0, x: inner.x + 1, y: inner.y + i, role: .helpKey)
            canvas.put(DisplayWidth.truncate(line.1, to: inner.width - keyW - 3, ellipsis: context.glyphs.ellipsis),
                       x: inner.x + keyW + 3, y: inner.y + i, role: .normal)
        }
    }
}
