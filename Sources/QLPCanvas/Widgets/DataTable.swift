/// A table that fits its width: columns carry a priority, and the lowest
/// priority ones give way on narrow terminals rather than every column being
/// cut. Sorting and filtering are the caller's (they know the values' types);
/// the table draws the sort mark, the selection and the scroll position.
public struct DataTable: Sendable {
    public struct Column: Sendable, Equatable {
        public var title: String
        /// Cells wanted; the last fitting column takes any width left over.
        public var width: Int
        public var alignRight: Bool
        /// Higher stays longer when the width runs out (the first column should be highest).
        public var priority: Int
        /// Takes the width left over (free text such as a summary); else the last column does.
        public var flexible: Bool

        public init(_ title: String, width: Int, alignRight: Bool = false, priority: Int = 0, flexible: Bool = false) {
            self.flexible = flexible
            self.title = title
            self.width = width
            self.alignRight = alignRight
            self.priority = priority
        }
    }

    public enum Content: Sendable, Equatable {
        case text(String, StyleRole)
        case sparkline([Double?])
    }

    public var columns: [Column]
    public var rows: [[Content]]
    /// The column the rows are sorted by, marked in the header.
    public var sortColumn: Int?
    public var selected: Int?
    /// First row shown.
    public var offset: Int

    public init(columns: [Column], rows: [[Content]], sortColumn: Int? = nil, selected: Int? = nil, offset: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.sortColumn = sortColumn
        self.selected = selected
        self.offset = offset
    }

    /// The first row to show so that `selected` stays within `visible` rows of `offset`.
    public static func offset(keeping selected: Int, visible: Int, previous: Int, count: Int) -> Int {
        guard visible > 0 else { return 0 }
        var first = previous
        if selected < first { first = selected }
        if selected >= first + visible { first = selected - visible + 1 }
        return max(0, min(first, count - visible))
    }

    /// Which columns fit in `width` (with two cells between them), and their widths.
    public func layout(width: Int) -> [(index: Int, width: Int)] {
        var chosen = Array(columns.indices)
        func needed(_ set: [Int]) -> Int { set.map { columns[$0].width }.reduce(0, +) + 2 * max(0, set.count - 1) }
        while needed(chosen) > width, chosen.count > 1 {
            let drop = chosen.dropFirst().min { columns[$0].priority < columns[$1].priority } ?? chosen[chosen.count - 1]
            chosen.removeAll { $0 == drop }
        }
        var widths = chosen.map { columns[$0].width }
        let spare = width - needed(chosen)
        if spare > 0, let grow = chosen.firstIndex(where: { columns[$0].flexible }) ?? widths.indices.last { widths[grow] += spare }
        if spare < 0, !widths.isEmpty { widths[0] = max(1, widths[0] + spare) }
        return zip(chosen, widths).map { ($0, $1) }
    }

    /// Draws the header and as many rows as fit in `rect`.
    public func render(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        guard rect.height > 0, rect.width > 0 else { return }
        let layout = layout(width: rect.width)
        var x = rect.x
        for (index, width) in layout {
            let column = columns[index]
            let mark = index == sortColumn ? (glyphs.isUnicode ? "▼" : "v") : ""
            let title = column.alignRight ? mark + column.title : column.title + mark
            canvas.put(title, x: x, y: rect.y, width: width, role: .title, alignRight: column.alignRight, ellipsis: glyphs.ellipsis)
            x += width + 2
        }
        let visible = rect.height - 1
        for (line, rowIndex) in (offset..<min(rows.count, offset + visible)).enumerated() {
            let y = rect.y + 1 + line
            let row = rows[rowIndex]
            let isSelected = rowIndex == selected
            x = rect.x
            for (index, width) in layout {
                switch index < row.count ? row[index] : .text("", .normal) {
                case .text(let text, let role):
                    canvas.put(text, x: x, y: y, width: width, role: role, alignRight: columns[index].alignRight, ellipsis: glyphs.ellipsis)
                case .sparkline(let values):
                    Sparkline(values: values).render(into: &canvas, x: x, y: y, width: width, glyphs: glyphs)
                }
                x += width + 2
            }
            if isSelected { canvas.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: .selection) }
        }
    }
}
