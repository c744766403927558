/// Turns on this machine for tests that would otherwise crowd it: a counting
/// semaphore, first come first served.
///
/// `shared` (one at a time): tests that load this machine (hundreds of
/// requests a second across several processes) and tests that time what a
/// person sees on screen take turns: run together on 2 cores, the load starved
/// the dashboard's refresh (the routing demo saw no repaint for 4.7 s while
/// the fleet's outage test ran). Other tests run beside either as before.
///
/// `dashboards` (a few at a time): a dashboard under test is three processes
/// or more (`qlp demo` is an emulator, a gateway, its traffic and the screen).
/// With every end-to-end suite started at once, a dozen of them on 2 cores
/// took more than 30 s to show a first screen; a few at a time, each takes
/// seconds and the whole run is no slower.
actor MachineTurns {
    static let shared = MachineTurns(width: 1)
    static let dashboards = MachineTurns(width: 3)

    private let width: Int
    private var held = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) { self.width = width }

    /// Waits for a turn.
    func take() async {
        guard held >= width else {
            held += 1
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
        if waiting.isEmpty { held -= 1 } else { waiting.removeFirst().resume() }
    }
}
