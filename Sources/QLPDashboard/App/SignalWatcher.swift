import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into a flag the terminal loop checks, so
/// the loop (the only code that touches the terminal) restores it before the
/// process exits. Ignoring the signals' default action first also stops
/// ncurses installing its own exit-on-signal handlers.
public final class SignalWatcher: Sendable {
    public static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private let received = Mutex<Int32?>(nil)
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

    public func stop() {
        for source in sources { source.cancel() }
        for number in Self.watched { signal(number, SIG_DFL) }
    }
}
