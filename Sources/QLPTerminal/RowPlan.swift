import CNcursesw
import QLPCanvas

/// How one role's cells are written: its curses attributes and colour pair,
/// how its full blocks are drawn, and whether its blanks look like any other
/// blank on the terminal's background.
struct RoleLook: Equatable {
    var attributes: attr_t
    var pair: Int32
    var solid: SolidCell
    /// Background is the terminal's, no reverse video, no underline: a blank
    /// of this role cannot be told from a blank of any other such role.
    var hasPlainBlank: Bool
}

/// One cell as it goes to ncurses.
struct PlannedCell: Equatable {
    var grapheme: Character
    var attributes: attr_t
    var pair: Int32
}

/// Decides, for a canvas row, what each cell is written as, so that the
/// terminal sees fewer attribute changes for the same picture: long runs of
/// full blocks become coloured blanks (`SolidRuns`), and a plain blank takes
/// the attributes of the plain-background cell before it. A space between two
/// blue chart columns then costs one byte instead of a switch to the default
/// colour and back (about 15 bytes). Pure, so it is testable.
enum RowPlan {
    /// - Parameter solidGlyphs: the glyphs whose long runs become coloured
    ///   blanks; empty with `--block-glyphs`.
    static func plan(_ row: ArraySlice<Cell>, looks: [RoleLook], solidGlyphs: Set<Character> = SolidRuns.glyphs) -> [PlannedCell] {
        let solid =
            solidGlyphs.isEmpty
            ? [Bool](repeating: false, count: row.count)
            : SolidRuns.solidColumns(row, glyphs: solidGlyphs)
        var planned: [PlannedCell] = []
        planned.reserveCapacity(row.count)
        // Whether the previous cell sits on the terminal's background, so a
        // plain blank may borrow its attributes.
        var previousIsPlain = false
        for (x, cell) in row.enumerated() {
            let look = looks[Int(cell.role.rawValue)]
            if solid[x], let blank = look.solid.blank(for: cell.grapheme) {
                planned.append(PlannedCell(grapheme: " ", attributes: blank.attributes, pair: blank.pair))
                previousIsPlain = false
            } else if cell.grapheme == " ", !cell.isContinuation, look.hasPlainBlank, previousIsPlain,
                let previous = planned.last
            {
                planned.append(PlannedCell(grapheme: " ", attributes: previous.attributes, pair: previous.pair))
            } else {
                planned.append(PlannedCell(grapheme: cell.grapheme, attributes: look.attributes, pair: look.pair))
                previousIsPlain = look.hasPlainBlank
            }
        }
        return planned
    }
}
