/// A grid of cells that views draw into. It knows nothing of terminals: the
/// backend diffs two canvases and writes the cells that changed, and tests
/// read a canvas back as text.
public struct Canvas: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// The terminal shows ASCII only: text goes in with `AsciiFallback`'s
    /// stand-ins ("->" for "→"), never as a `?` the terminal would print.
    public var asciiOnly = false

    public init(size: Size) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        self.cells = Array(repeating: .blank, count: self.size.width * self.size.height)
    }

    public init(width: Int, height: Int) {
        self.init(size: Size(width: width, height: height))
    }

    public var bounds: Rect { Rect(size: size) }

    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return .blank }
            return cells[y * size.width + x]
        }
        // Through `set` so that drawing over half of a wide grapheme never
        // leaves the other half behind.
        set { set(newValue, x: x, y: y) }
    }

    /// Writes `text` starting at (x, y), clipped to `maxWidth` cells and to the
    /// canvas. Text goes through `TerminalSafeText.sanitize` first: text from
    /// outside (resource names, error bodies) must never reach the terminal as
    /// escape sequences, and this is the one place every string passes.
    /// - Returns: the number of cells written.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, role: StyleRole = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        let limit = min(maxWidth ?? Int.max, size.width - x)
        var used = 0
        for character in TerminalSafeText.sanitize(asciiOnly ? AsciiFallback.text(text) : String(text)) {
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if used + w > limit {
                // A wide grapheme that does not fit leaves a blank, not half a glyph.
                if used < limit { self.set(Cell(" ", role: role), x: x + used, y: y) }
                used = limit
                break
            }
            let cx = x + used
            if cx >= 0 {
                set(Cell(character, role: role), x: cx, y: y)
                if w == 2 { set(Cell(" ", role: role, isContinuation: true), x: cx + 1, y: y) }
            } else if cx == -1, w == 2 {
                // Only the right half is on the canvas: show a blank there.
                set(Cell(" ", role: role), x: 0, y: y)
            }
            used += w
        }
        return max(0, used)
    }

    /// Writes `text` into exactly `width` cells: padded with spaces, or cut
    /// with the ellipsis when it is longer.
    public mutating func put(
        _ text: String, x: Int, y: Int, width: Int, role: StyleRole = .normal,
        alignRight: Bool = false, ellipsis: Character = "…"
    ) {
        guard width > 0 else { return }
        put(DisplayWidth.pad(text, to: width, alignRight: alignRight, ellipsis: ellipsis), x: x, y: y, role: role, maxWidth: width)
    }

    /// Fills a rect with one grapheme.
    public mutating func fill(_ rect: Rect, with grapheme: Character = " ", role: StyleRole = .normal) {
        for y in max(0, rect.y)..<min(size.height, rect.maxY) {
            for x in max(0, rect.x)..<min(size.width, rect.maxX) {
                set(Cell(grapheme, role: role), x: x, y: y)
            }
        }
    }

    /// Changes the role of every cell in a rect, keeping the graphemes.
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        for y in max(0, rect.y)..<min(size.height, rect.maxY) {
            for x in max(0, rect.x)..<min(size.width, rect.maxX) {
                cells[y * size.width + x].role = role
            }
        }
    }

    /// One row as text (continuation cells skipped, so wide graphemes read naturally).
    public func text(row y: Int) -> String {
        guard y >= 0, y < size.height else { return "" }
        var out = ""
        for x in 0..<size.width {
            let cell = cells[y * size.width + x]
            if !cell.isContinuation { out.append(cell.grapheme) }
        }
        return out
    }

    /// Every row as text, trailing spaces trimmed: what a person would read.
    public var lines: [String] {
        (0..<size.height).map { y in
            var line = text(row: y)
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole canvas as text, one line per row.
    public var text: String { lines.joined(separator: "\n") }

    /// The role at a position, for tests that check emphasis.
    public func role(x: Int, y: Int) -> StyleRole { self[x, y].role }

    // Keeps wide graphemes consistent: overwriting either half of a wide
    // grapheme blanks the other half.
    private mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        let i = y * size.width + x
        if cells[i].isContinuation, x > 0, !cell.isContinuation {
            cells[i - 1] = Cell(" ", role: cells[i - 1].role)
        }
        // The old cell was the left half of a wide grapheme: its right half goes
        // too, unless the new cell is itself wide and keeps using it. (A
        // continuation written here belongs to a wide grapheme starting one
        // cell to the left, so the old right half is orphaned as well.)
        if !cells[i].isContinuation, DisplayWidth.of(cells[i].grapheme) == 2, x + 1 < size.width,
            cells[i + 1].isContinuation, cell.isContinuation || DisplayWidth.of(cell.grapheme) != 2
        {
            cells[i + 1] = Cell(" ", role: cells[i + 1].role)
        }
        if cell.isContinuation, x == 0 { return }
        cells[i] = cell
        // Cells written directly (the subscript, fill) pass the same guard as put.
        cells[i].grapheme = TerminalSafeText.printable(cell.grapheme)
    }
}
