/// The bottom row while a `:` command or `/` filter is typed: the prompt, the
/// text, a cursor, and a hint (completions or an error) at the right.
public struct CommandLineBar: Sendable {
    public var prompt: String
    public var text: String
    public var hint: String
    public var hintRole: StyleRole

    public init(prompt: String, text: String, hint: String = "", hintRole: StyleRole = .muted) {
        self.prompt = prompt
        self.text = text
        self.hint = hint
        self.hintRole = hintRole
    }

    public func render(into canvas: inout Canvas, row y: Int, glyphs: GlyphSet) {
        let width = canvas.size.width
        canvas.fill(Rect(x: 0, y: y, width: width, height: 1), role: .normal)
        var x = canvas.put(prompt, x: 0, y: y, role: .helpKey)
        // The end of long input stays visible, as in a shell.
        let room = max(1, width - x - 2)
        var shown = text
        while DisplayWidth.of(shown) > room { shown.removeFirst() }
        x += canvas.put(shown, x: x, y: y, role: .normal)
        canvas.put(" ", x: x, y: y, role: .selection)
        x += 2
        if !hint.isEmpty, width - x > 3 {
            canvas.put(DisplayWidth.truncate(hint, to: width - x - 1, ellipsis: glyphs.ellipsis), x: x, y: y, role: hintRole)
        }
    }
}
