/// Tests that load this machine (hundreds of requests a second across several
/// processes) and tests that time what a person sees on screen take turns:
/// run together on 2 cores, the load starved the dashboard's refresh (the
/// routing demo saw no repaint for 4.7 s while the fleet's outage test ran).
/// Other tests run beside either as before.
actor MachineTurns {
    static let shared = MachineTurns()
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Waits for the turn.
    func take() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Passes the turn on; callable from a `defer`.
    nonisolated func give() {
        Task { await self.release() }
    }

    private func release() {
        // The turn goes straight to the next in line, so nobody slips in between.
        if waiting.isEmpty { held = false } else { waiting.removeFirst().resume() }
    }
}
