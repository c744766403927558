/// The key hints along the bottom row, always visible: "q quit  ? help".
public struct HelpBar: Sendable {
    public struct Item: Sendable, Equatable {
        public var key: String
        public var label: String
        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    public var items: [Item]
    /// Shown at the right end (for example the log file or a status word).
    public var trailing: String

    public init(items: [Item], trailing: String = "") {
        self.items = items
        self.trailing = trailing
    }

    public func render(into canvas: inout Canvas, row y: Int) {
        let width = canvas.size.width
        canvas.fill(Rect(x: 0, y: y, width: width, height: 1), role: .helpText)
        var x = 1
        for item in items {
            let needed = DisplayWidth.of(item.key) + 1 + DisplayWidth.of(item.label) + 2
            if x + needed > width { break }
            x += canvas.put(item.key, x: x, y: y, role: .helpKey)
            x += 1
            x += canvas.put(item.label, x: x, y: y, role: .helpText)
            x += 2
        }
        let tw = DisplayWidth.of(trailing)
        if !trailing.isEmpty, x + tw + 1 <= width {
            canvas.put(trailing, x: width - tw - 1, y: y, role: .helpText)
        }
    }
}
