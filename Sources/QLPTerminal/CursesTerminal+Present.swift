import CNcursesw
import QLPCanvas

extension CursesTerminal {
    /// Shows `canvas`. Only cells that differ from the last presented canvas
    /// are written, then the screen is updated once; when nothing differs,
    /// nothing at all is sent. A canvas of another size than the last one, or
    /// a call after `invalidate()`, repaints the whole screen.
    ///
    /// A canvas larger than the terminal is clipped; cells of the terminal
    /// that the canvas does not cover are left blank.
    public func present(_ canvas: Canvas) {
        guard !isStopped, !isSuspended else { return }
        let window = qlp_stdscr()
        let rows = min(canvas.size.height, Int(getmaxy(window)))
        let columns = min(canvas.size.width, Int(getmaxx(window)))
        let width = canvas.size.width

        if needsFullRepaint || lastPresented?.size != canvas.size {
            werase(window)
            for y in 0..<max(0, rows) {
                let plan = rowPlan(canvas, row: y)
                for x in 0..<max(0, columns) {
                    draw(canvas.cells[y * width + x], as: plan[x], x: x, y: y, columns: columns)
                }
            }
            // Clear the physical screen too, not just ncurses's idea of it:
            // after a resize or Ctrl-L it may hold anything.
            clearok(window, true)
        } else if let last = lastPresented {
            var changed = false
            for y in 0..<max(0, rows) {
                let rowStart = y * width
                var plan: [PlannedCell]?
                for x in 0..<max(0, columns) where canvas.cells[rowStart + x] != last.cells[rowStart + x] {
                    if plan == nil { plan = rowPlan(canvas, row: y) }
                    if let plan { draw(canvas.cells[rowStart + x], as: plan[x], x: x, y: y, columns: columns) }
                    changed = true
                }
            }
            guard changed else { return }
        }
        wnoutrefresh(window)
        doupdate()
        lastPresented = canvas
        needsFullRepaint = false
    }

    private func rowPlan(_ canvas: Canvas, row y: Int) -> [PlannedCell] {
        let width = canvas.size.width
        return RowPlan.plan(canvas.cells[y * width..<(y + 1) * width], looks: roleLooks, solidGlyphs: solidGlyphs)
    }

    /// Writes one cell into ncurses's window (not yet to the terminal).
    private func draw(_ cell: Cell, as planned: PlannedCell, x: Int, y: Int, columns: Int) {
        // The right half of a wide grapheme: ncurses fills it with the left half.
        if cell.isContinuation { return }
        let attributes = planned.attributes
        let pair = planned.pair
        var grapheme = planned.grapheme
        let isWide = DisplayWidth.of(grapheme) == 2
        // A wide grapheme in the last column would wrap onto the next row.
        if isWide && x + 1 >= columns { grapheme = " " }
        CellEncoding.encode(grapheme, unicode: glyphs.isUnicode, into: &cellBuffer)
        _ = qlp_put_grapheme(Int32(y), Int32(x), cellBuffer, attributes, pair)
        // Where the C library thinks the grapheme is narrow (emoji with a
        // variation selector, or `?` in an ASCII locale), ncurses fills one
        // cell only: blank the second so the row stays aligned.
        if isWide, x + 1 < columns, qlp_wcwidth(cellBuffer[0]) != 2 {
            CellEncoding.encode(" ", unicode: glyphs.isUnicode, into: &cellBuffer)
            _ = qlp_put_grapheme(Int32(y), Int32(x + 1), cellBuffer, attributes, pair)
        }
    }
}
