/// Text put into a Markdown report as text, never as markup.
///
/// The report's words come partly from outside (service, resource group and
/// tag names, a file's path, Azure's own error text). In Markdown, an
/// outside name could open a link (`[x](javascript:…)`), raw HTML
/// (`<img onerror=…>`), emphasis, code or maths that runs on to the next
/// cells, or split a table row at a `|`. Each character that can start such
/// markup is backslash-escaped (CommonMark allows a backslash before any
/// ASCII punctuation, and a renderer shows the bare character), so the
/// rendered text is exactly the name. Control characters never get here:
/// the document is made printable first (`TerminalSafeText.printedLine`).
enum MarkdownText {
    /// Characters that start or end inline markup in CommonMark or GitHub's
    /// Markdown (tables, strikethrough, maths). `#`, `-`, `+` and digits only
    /// act at the start of a line, and every line the renderer writes starts
    /// with its own markup or its own words.
    private static let markup: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "$"]

    static func escaped(_ text: String) -> String {
        guard text.contains(where: { markup.contains($0) || $0 == "&" }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            if markup.contains(c) {
                out.append("\\")
            } else if c == "&", next < text.endIndex, text[next] == "#" || text[next].isLetter {
                // `&#27;` or `&lt;` would be an entity: a character the name does not hold.
                out.append("\\")
            }
            out.append(c)
            index = next
        }
        return out
    }
}
