import Foundation
import QLPCanvas
import QLPProcess
import QLPTerminal

#if canImport(Glibc)
    import Glibc
    import QLPProcess
#endif

/// How the dashboard ended.
public enum DashboardExit: Sendable, Equatable {
    case quit
    case signal(Int32)

    /// Shell convention: 0 for q, 128 + signal number otherwise.
    public var status: Int32 {
        switch self {
        case .quit: 0
        case .signal(let n): 128 + n
        }
    }
}

/// The dashboard's input and drawing loop. It runs on its own thread, which is
/// the only thread that touches ncurses; everything else reaches it through
/// the state store (data in) and `onAction` (commands out).
final class TerminalLoop: @unchecked Sendable {
    // @unchecked: every property below is used only on the loop's own thread
    // after `start()`, except the immutable lets.
    let store: DashboardStateStore
    let options: TerminalOptions
    let format: DisplayFormat
    let signals: SignalWatcher
    let onAction: @Sendable (DashboardEffect) -> Void

    /// View, selections, command line, draft and alerts: the operator's side of the screen.
    private var interaction: DashboardInteraction

    init(
        store: DashboardStateStore, options: TerminalOptions, format: DisplayFormat, signals: SignalWatcher,
        interaction: DashboardInteraction = DashboardInteraction(),
        onAction: @escaping @Sendable (DashboardEffect) -> Void
    ) {
        self.interaction = interaction
        // `:theme` offers what the terminal can switch to.
        if self.interaction.themeNames.isEmpty { self.interaction.themeNames = options.themes.names }
        self.store = store
        self.options = options
        self.format = format
        self.signals = signals
        self.onAction = onAction
    }

    /// Runs the loop on a new thread and returns when it ends.
    func run() async throws -> DashboardExit {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<DashboardExit, any Error>) in
            let thread = Thread { [self] in
                do {
                    continuation.resume(returning: try loop())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "qlp-terminal"
            thread.start()
        }
    }

    private func loop() throws -> DashboardExit {
        let terminal = try CursesTerminal(options: options)
        defer { terminal.stop() }
        // Log to the file, never the screen: stray stderr output too. Declared
        // after the terminal, so it is undone first and a fatal message after
        // the terminal is restored still reaches the user.
        let stderrToLog = StandardErrorRedirect(appendingTo: store.state.identity.logFile)
        defer { stderrToLog?.restore() }
        // A terminal that cannot show "£" gets "GBP 1,234.56".
        var format = self.format
        if !terminal.glyphs.isUnicode { format.money.symbolOverride = terminal.glyphs.pound }
        var lastVersion: UInt64?
        var lastSecond = -1
        var lastSize = terminal.size
        var dirty = true
        var startupCodeReleased = false
        while true {
            if let number = signals.signalReceived { return .signal(number) }
            if signals.takeSuspendRequest() {
                // Ctrl-Z: give the terminal back, stop until `fg`, then take it
                // back and repaint everything (the shell drew over the screen).
                terminal.suspend()
                kill(getpid(), SIGSTOP)
                terminal.resume()
                terminal.invalidate()
                dirty = true
            }
            if let key = terminal.nextKey(timeout: .milliseconds(100)) {
                switch key {
                case .resize:
                    dirty = true
                default:
                    for effect in interaction.handle(key, state: store.state) {
                        switch effect {
                        case .quit: return .quit
                        case .redraw: terminal.invalidate()
                        case .setTheme(let name):
                            if let theme = options.themes.named(name) { terminal.setTheme(theme) }
                        default: onAction(effect)
                        }
                    }
                    dirty = true
                }
            }
            let now = Date()
            let second = Int(now.timeIntervalSince1970)
            let (state, version) = store.snapshot()
            // The clock and data ages change once a second; nothing else
            // changes without a new state version, so idle frames cost nothing.
            if dirty || version != lastVersion || second != lastSecond || terminal.size != lastSize {
                let context = RenderContext(glyphs: terminal.glyphs, format: format, now: now)
                if interaction.observe(state, now: now) { terminal.bell() }
                terminal.present(DashboardScreen(state: state, interaction: interaction).render(size: terminal.size, context: context))
                lastVersion = version
                lastSecond = second
                lastSize = terminal.size
                dirty = false
                // The first frame is up: start-up's code need not stay mapped (StartupCodeRelease).
                if !startupCodeReleased {
                    StartupCodeRelease.release()
                    startupCodeReleased = true
                }
            }
        }
    }
}
