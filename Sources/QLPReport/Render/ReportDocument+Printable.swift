import QLPCanvas

extension ReportDocument {
    /// The document with every string made safe to print: a name from a
    /// cost file or from Azure cannot clear the reader's screen, retitle the
    /// terminal, forge a line of the report or reorder its text. Escape
    /// sequences, controls (line breaks included) and bidirectional controls
    /// each leave a visible `?` (`TerminalSafeText.printedLine`). Applied
    /// once here, before layout, so widths are measured on what is printed
    /// and neither the table nor the Markdown renderer can forget it.
    var printable: ReportDocument {
        var copy = self
        copy.title = TerminalSafeText.printedLine(title)
        copy.intro = intro.map { TerminalSafeText.printedLine($0) }
        copy.sections = sections.map { section in
            var safe = section
            safe.title = TerminalSafeText.printedLine(section.title)
            safe.before = section.before.map { TerminalSafeText.printedLine($0) }
            safe.after = section.after.map { TerminalSafeText.printedLine($0) }
            safe.table = section.table?.mappingText { TerminalSafeText.printedLine($0) }
            return safe
        }
        return copy
    }
}

extension TextTable {
    /// The same table with `transform` applied to every header and cell.
    func mappingText(_ transform: (String) -> String) -> TextTable {
        var copy = self
        copy.headers = headers.map(transform)
        copy.rows = rows.map { $0.map(transform) }
        return copy
    }
}
