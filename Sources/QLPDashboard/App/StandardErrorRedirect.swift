#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// While the dashboard owns the terminal, whatever a library or the runtime
/// prints to stderr goes to the log file instead of over the screen (it
/// would scribble over cells that `present` believes unchanged). `restore()`
/// puts stderr back, so messages after the terminal is released reach the
/// user again.
final class StandardErrorRedirect {
    private var saved: Int32

    /// Nil when the log file cannot be opened: stderr then stays as it was.
    init?(appendingTo path: String) {
        let file = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard file >= 0 else { return nil }
        defer { close(file) }
        let saved = dup(STDERR_FILENO)
        guard saved >= 0 else { return nil }
        guard dup2(file, STDERR_FILENO) >= 0 else {
            close(saved)
            return nil
        }
        self.saved = saved
    }

    /// Safe to call more than once.
    func restore() {
        guard saved >= 0 else { return }
        _ = dup2(saved, STDERR_FILENO)
        close(saved)
        saved = -1
    }

    deinit { restore() }
}
