import NIOCore
import Synchronization

/// Whether the client of a connection has left: it closed its side (a FIN,
/// which Hummingbird's half-closure setting turns into an event rather than a
/// close) or the connection closed. Set on the connection's event loop by
/// `ClientInputWatch`; the connection's task asks to be told
/// (`whenGone`) and cancels itself, which stops a call waiting on an upstream.
///
/// A client that closes its side while it still waits for the answer (a
/// half-close, which HTTP/1.1 clients do not do) is taken as gone too, as
/// nginx takes it by default (`proxy_ignore_client_abort off`).
final class ClientDeparture: Sendable {
    private let state = Mutex<(gone: Bool, action: (@Sendable () -> Void)?)>((false, nil))

    /// Runs `action` once the client has gone: now if it already has.
    func whenGone(_ action: @escaping @Sendable () -> Void) {
        let already = state.withLock { state in
            if state.gone { return true }
            state.action = action
            return false
        }
        if already { action() }
    }

    func markGone() {
        let action = state.withLock { state in
            state.gone = true
            defer { state.action = nil }
            return state.action
        }
        action?()
    }
}
