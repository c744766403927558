import CNcursesw
import QLPCanvas

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The dashboard's terminal: the only type in qlp that calls ncurses.
///
/// Views draw into a `Canvas`; `present(_:)` writes only the cells that
/// changed since the last call, so an idle dashboard sends nothing over SSH.
/// `nextKey(timeout:)` waits for one key.
///
/// Threading: ncurses keeps global state and is not thread-safe. Create a
/// `CursesTerminal`, call every method and release it on one and the same
/// thread (or actor); it is deliberately not `Sendable`. Only one may exist at
/// a time.
///
/// Signals: ncurses installs its own handlers for SIGINT/SIGTERM (restore the
/// terminal, then exit), SIGTSTP (Ctrl-Z: restore, stop, repaint on `fg`) and
/// SIGWINCH (delivered as `Key.resize`) when the program has none of its own.
/// A program that installs its own must call `stop()`, or `suspend()` and
/// `resume()`, itself.
public final class CursesTerminal {
    /// The terminal's size in cells, updated when `nextKey` returns `.resize`.
    public private(set) var size: Size
    /// Box and gauge characters the locale can show: `.unicode` for a UTF-8
    /// locale, `.ascii` otherwise.
    public let glyphs: GlyphSet
    /// What colour the terminal gets: `.none` if colours are not allowed or
    /// the terminal has none, `.direct` for a 24-bit terminal description,
    /// `.ansi256` with 256 colours or more, else `.ansi8`.
    public let colorMode: ColorMode

    /// The ncurses screen, freed by `stop()`.
    private let screen: OpaquePointer
    /// False when `use_default_colors` failed: `.default` then means white on black.
    let hasDefaultColors: Bool
    /// How each role's cells are written, indexed by raw value.
    var roleLooks: [RoleLook] = []
    /// Glyphs whose long runs are drawn as coloured blanks (none with `--block-glyphs`).
    let solidGlyphs: Set<Character>
    /// What the screen shows now, as far as `present` knows.
    var lastPresented: Canvas?
    var needsFullRepaint = true
    /// Reused for every cell `present` writes.
    var cellBuffer = [wchar_t](repeating: 0, count: CellEncoding.bufferSize)
    private(set) var isStopped = false
    private(set) var isSuspended = false

    /// Takes over the terminal: alternate screen, no echo, keys unbuffered,
    /// cursor hidden.
    /// - Throws: `TerminalError.notATerminal` when stdin or stdout is not a
    ///   terminal; `TerminalError.cannotInitialize` when ncurses does not know
    ///   `TERM` or the terminal cannot move its cursor (TERM=dumb). Neither
    ///   prints anything nor exits (unlike initscr); the terminal is left as it
    ///   was (for TERM=dumb ncurses writes one carriage return).
    public init(options: TerminalOptions) throws {
        guard qlp_stdio_is_terminal() != 0 else { throw TerminalError.notATerminal }
        // Before newterm: ncurses picks its character encoding from the locale.
        qlp_setlocale_for_terminal()
        let termName = getenv("TERM").map { String(cString: $0) } ?? ""
        guard let screen = qlp_newterm_stdio() else {
            throw TerminalError.cannotInitialize(term: termName)
        }
        guard qlp_has_cursor_addressing() != 0 else {
            endwin()
            delscreen(screen)
            throw TerminalError.cannotInitialize(term: termName)
        }
        self.screen = screen
        self.glyphs = qlp_locale_is_utf8() != 0 ? .unicode : .ascii

        var mode = ColorMode.none
        var defaultColors = false
        if options.colorsAllowed, has_colors(), start_color() == OK,
            Int(qlp_color_pairs()) > Self.roleCount
        {
            mode = ColorMode.forTerminal(colors: Int(qlp_colors()))
            defaultColors = use_default_colors() == OK
        }
        self.colorMode = mode
        self.hasDefaultColors = defaultColors
        self.solidGlyphs = options.blockGlyphs ? [] : SolidRuns.glyphs

        cbreak()
        noecho()
        nonl()  // Enter arrives as CR, and ncurses may move down with LF
        let window = qlp_stdscr()
        intrflush(window, false)
        keypad(window, true)
        meta(window, true)
        // The cursor is hidden, so ncurses need not move it back after each
        // update: that saves bytes on every refresh.
        leaveok(window, true)
        scrollok(window, false)
        curs_set(0)
        set_escdelay(Int32(clamping: max(0, options.escapeDelayMilliseconds)))
        self.size = Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
        applyTheme(options.theme)
    }

    deinit {
        stop()
    }

    /// Waits up to `timeout` for one key; nil when none came (or the wait was
    /// interrupted). A zero timeout only polls.
    public func nextKey(timeout: Duration) -> Key? {
        guard !isStopped, !isSuspended else { return nil }
        let window = qlp_stdscr()
        wtimeout(window, Self.milliseconds(timeout))
        var value: wint_t = 0
        let status = wget_wch(window, &value)
        guard let key = KeyDecoder.decode(status: status, value: value) else { return nil }
        if key == .resize {
            // ncurses has already resized its screen (resizeterm).
            size = Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
            invalidate()
        }
        return key
    }

    /// Makes the next `present` repaint the whole screen (Ctrl-L, after a resize
    /// or when something else wrote to the terminal).
    public func invalidate() {
        needsFullRepaint = true
    }

    /// Rings the terminal bell (or flashes, as the terminal is set up).
    public func bell() {
        guard !isStopped, !isSuspended else { return }
        beep()
    }

    /// Gives the terminal back for a while (before stopping the process for
    /// Ctrl-Z, or running a shell): leaves the alternate screen and restores
    /// the terminal modes. Call `resume()` to take it back.
    public func suspend() {
        guard !isStopped, !isSuspended else { return }
        endwin()
        isSuspended = true
    }

    /// Takes the terminal back after `suspend()` and repaints what was shown.
    public func resume() {
        guard !isStopped, isSuspended else { return }
        isSuspended = false
        let window = qlp_stdscr()
        // The first refresh after endwin restores program mode; doing it here
        // as well makes sure keys are unbuffered again before that refresh.
        // clearok makes it repaint everything: the shell has drawn over the screen.
        reset_prog_mode()
        clearok(window, true)
        wrefresh(window)
    }

    /// Restores the terminal (normal screen, echo, cursor) and frees ncurses.
    /// Safe to call more than once; afterwards every method does nothing.
    public func stop() {
        guard !isStopped else { return }
        isStopped = true
        if !isSuspended { endwin() }
        delscreen(screen)
    }

    /// Number of style roles, which is also the number of colour pairs used.
    static var roleCount: Int { Int(StyleRole.allCases.map(\.rawValue).max() ?? 0) + 1 }

    /// `timeout` in whole milliseconds for wtimeout, rounded up so a short
    /// wait does not become a busy poll, and capped to what fits.
    static func milliseconds(_ timeout: Duration) -> Int32 {
        let (seconds, attoseconds) = timeout.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        guard ms > 0 else { return 0 }
        return Int32(min(ms.rounded(.up), Double(Int32.max)))
    }
}

/// ncurses is not thread-safe: a terminal must stay on the thread that made it.
@available(*, unavailable)
extension CursesTerminal: Sendable {}
