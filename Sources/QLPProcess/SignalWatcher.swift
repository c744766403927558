import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into a flag the terminal loop checks, so
/// the loop (the only code that touches the terminal) restores it before the
/// process exits; and SIGTSTP (Ctrl-Z) into a request the loop answers by
/// restoring the terminal, stopping, and repainting on `fg`. Ignoring the
/// signals' default action first also stops ncurses installing its own
/// handlers, which would run on whatever thread the signal lands on.
public final class SignalWatcher: Sendable {
    public static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGTSTP]

    private let received = Mutex<Int32?>(nil)
    private let suspendRequested = Mutex(false)
    // Written by start() and read by stop(), which one caller runs in order;
    // dispatch sources are not Sendable, so a Mutex cannot hold them.
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []
    private let onSignal: @Sendable (Int32) -> Void

    public init(onSignal: @escaping @Sendable (Int32) -> Void = { _ in }) {
        self.onSignal = onSignal
    }

    public func start() {
        var made: [any DispatchSourceSignal] = []
        for number in Self.watched {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if number == SIGTSTP {
                    suspendRequested.withLock { $0 = true }
                    return
                }
                received.withLock { if $0 == nil { $0 = number } }
                onSignal(number)
            }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    /// The first signal received, if any.
    public var signalReceived: Int32? { received.withLock { $0 } }

    /// True once after Ctrl-Z (SIGTSTP) arrived; the request is then cleared.
    public func takeSuspendRequest() -> Bool {
        suspendRequested.withLock { requested in
            defer { requested = false }
            return requested
        }
    }

    public func stop() {
        for source in sources { source.cancel() }
        for number in Self.watched { signal(number, SIG_DFL) }
    }
}
