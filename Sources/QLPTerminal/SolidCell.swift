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
    /// A blank with these attributes and a colour pair whose background is
    /// the role's colour.
    case coloured(attributes: attr_t, pair: Int32)
    /// A reverse-video blank: where the role's colour cannot be a background
    /// (no colours, or the terminal's default foreground). Right for a full
    /// block; a gauge track drawn so would look full, so it keeps its glyph.
    case reversed(attributes: attr_t, pair: Int32)

    /// How to draw `glyph` of this role solid, or nil to keep the glyph.
    func blank(for glyph: Character) -> (attributes: attr_t, pair: Int32)? {
        switch self {
        case .glyph: nil
        case .coloured(let attributes, let pair): (attributes, pair)
        case .reversed(let attributes, let pair): glyph == SolidRuns.track ? nil : (attributes, pair)
        }
    }
}

/// Which cells of a canvas row are worth drawing as solid blanks.
///
/// Switching to the solid colour pair and back costs about 40 bytes of SGR,
/// so only long runs of full blocks in one role gain; a short run (a chart's
/// three-column day, a sparkline's peak) stays a glyph. Both look the same,
/// so a cell may change between the two from frame to frame unnoticed. A
/// track cell does not look the same solid (a flat bar, not a shade), so every
/// track cell is solid, whatever its run: one gauge never shows both looks.
enum SolidRuns {
    /// Shortest run of full blocks drawn solid: past this, one SGR pair plus a
    /// byte per cell (or one ECH) beats three bytes per cell.
    static let minimumRun = 16
    static let fullBlock: Character = "█"
    /// The gauge's empty part.
    static let track: Character = "░"

    static func minimumRun(of glyph: Character) -> Int { glyph == track ? 1 : minimumRun }

    /// The glyphs drawn solid: the full block and the gauge's track.
    static let glyphs: Set<Character> = [fullBlock, track]

    /// For each column of `row`, whether it is part of a long enough run of
    /// one of `glyphs` sharing one role.
    static func solidColumns(_ row: ArraySlice<Cell>, glyphs: Set<Character> = glyphs) -> [Bool] {
        var solid = [Bool](repeating: false, count: row.count)
        var start = row.startIndex
        while start < row.endIndex {
            let first = row[start]
            guard glyphs.contains(first.grapheme) else {
                start += 1
                continue
            }
            var end = start + 1
            while end < row.endIndex, row[end].grapheme == first.grapheme, row[end].role == first.role {
                end += 1
            }
            if end - start >= minimumRun(of: first.grapheme) {
                for x in start..<end { solid[x - row.startIndex] = true }
            }
            start = end
        }
        return solid
    }
}
