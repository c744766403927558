/// One key press, decoded from ncurses into what the dashboard acts on.
///
/// Views and key bindings match on these cases and never see ncurses codes.
public enum Key: Equatable, Sendable {
    /// Printable input, including non-ASCII characters typed in a UTF-8 terminal.
    case character(Character)
    /// Ctrl plus a letter, as the lowercase letter: `.control("l")` is Ctrl-L.
    /// Ctrl-H, Ctrl-I, Ctrl-J and Ctrl-M arrive as `.backspace`, `.tab` and
    /// `.enter`, because terminals send the same bytes for those keys.
    case control(Character)
    case up, down, left, right, pageUp, pageDown, home, end, insert, delete
    case enter, escape, tab, backTab, backspace
    /// F1 to F12.
    case function(Int)
    /// The terminal changed size; `CursesTerminal.size` already holds the new size.
    case resize
    /// Anything else, with the raw code (a character value or an ncurses key code).
    case unknown(Int)
}
