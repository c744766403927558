import Foundation
import QLPCanvas

/// A table of text cells, laid out as aligned columns (terminal) or as a
/// Markdown pipe table. Widths count display cells, so "£" and wide
/// characters line up.
struct TextTable {
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    init(_ headers: [String], _ alignments: [Alignment]) {
        self.headers = headers
        self.alignments = alignments
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// Columns separated by two spaces, header underlined.
    var aligned: String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map { DisplayWidth.of($0) }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                DisplayWidth.pad(cell, to: widths[column], alignRight: alignments[column] == .right)
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }

    /// A GitHub-flavoured Markdown table, each cell text rather than markup
    /// (a `|` in a name does not split its row).
    var markdown: String {
        func escape(_ cell: String) -> String {
            MarkdownText.escaped(cell.replacingOccurrences(of: "\n", with: " "))
        }
        var out = [
            "| " + headers.map(escape).joined(separator: " | ") + " |",
            "|" + alignments.map { $0 == .right ? " ---: " : " --- " }.joined(separator: "|") + "|",
        ]
        out += rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
        return out.joined(separator: "\n")
    }
}
