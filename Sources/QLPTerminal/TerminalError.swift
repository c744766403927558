/// Why the dashboard could not take over the terminal.
public enum TerminalError: Error, CustomStringConvertible, Equatable {
    /// stdin or stdout is a pipe or a file.
    case notATerminal
    /// ncurses does not know `TERM`, or the terminal cannot address the cursor.
    case cannotInitialize(term: String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "stdout is not a terminal; qlp dash needs a terminal (try `qlp report` for text output)"
        case .cannotInitialize(let term) where term.isEmpty:
            return
                "cannot start the dashboard: TERM is not set; set it (for example TERM=xterm-256color) or use `qlp report` for text output"
        case .cannotInitialize(let term):
            return
                "cannot start the dashboard on terminal type TERM=\(term): it is unknown here or cannot move the cursor; try TERM=xterm-256color, or `qlp report` for text output"
        }
    }
}
