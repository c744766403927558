import CNcursesw
import QLPCanvas

/// How a role's bar cells (full block █, gauge track ░) reach the terminal.
///
/// Bars, gauges and the daily spend chart are mostly such cells: three bytes
/// of UTF-8 each, and at 200x50 two thirds of the first paint. Drawn as a
/// blank whose background is the role's colour, a full block looks the same
/// and a track becomes a solid dim bar; each costs one byte, and a run of them
/// lets ncurses send one erase-characters sequence (ECH, on terminals with
/// back-colour erase) instead of the whole run. Text copied from the screen
/// then holds blanks where the bars were: `--block-glyphs` keeps the glyphs.
enum SolidCell: Equatable {
    /// Keep the glyph (the role is drawn in reverse video already).
    case glyph
    /// Draw a blank with these attributes and this colour pair.
    case blank(attributes: attr_t, pair: Int32)
}

/// Which cells of a canvas row are worth drawing as solid blanks.
///
/// Switching to the solid colour pair and back costs about 40 bytes of SGR,
/// so only long runs of full blocks in one role gain; a short run (a chart's
/// three-column day, a sparkline's peak) stays a glyph. Both look the same,
/// so a cell may change between the two from frame to frame unnoticed.
enum SolidRuns {
    /// Shortest run drawn solid: past this, one SGR pair plus a byte per cell
    /// (or one ECH) beats three bytes per cell.
    static let minimumRun = 16

    /// The glyphs drawn solid: the full block and the gauge's track.
    static let glyphs: Set<Character> = ["█", "░"]

    /// For each column of `row`, whether it is part of a long enough run of
    /// one of `glyphs` sharing one role.
    static func solidColumns(_ row: ArraySlice<Cell>, glyphs: Set<Character> = glyphs) -> [Bool] {
        var solid = [Bool](repeating: false, count: row.count)
        var start = 0
        let cells = Array(row)
        while start < cells.count {
            guard glyphs.contains(cells[start].grapheme) else {
                start += 1
                continue
            }
            var end = start + 1
            while end < cells.count, cells[end].grapheme == cells[start].grapheme, cells[end].role == cells[start].role {
                end += 1
            }
            if end - start >= minimumRun {
                for x in start..<end { solid[x] = true }
            }
            start = end
        }
        return solid
    }
}
