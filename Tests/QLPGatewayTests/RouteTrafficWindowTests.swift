import Synchronization
import Testing
@testable import QLPGateway

@Suite struct RouteTrafficWindowTests {
    /// A clock the test moves by hand.
    final class SteppedClock: Sendable {
        private let seconds = Mutex(1000.0)
        var now: Double { seconds.withLock { $0 } }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    @Test func sharesAreTheRoutesRecentSplitAndForgetTheOldOnes() {
        let clock = SteppedClock()
        let window = RouteTrafficWindow(clock: { clock.now })
        for _ in 0..<3 { window.record(route: "chat", target: "gpt4") }
        window.record(route: "chat", target: "gpt35")
        window.record(route: "code", target: "codellama")
        #expect(window.shares(route: "chat") == ["gpt4": 0.75, "gpt35": 0.25])
        #expect(window.shares(route: "code") == ["codellama": 1])
        #expect(window.shares(route: "embeddings").isEmpty)

        // After the window has passed, only what came since counts.
        clock.advance(RouteTrafficWindow.bucketSeconds * Double(RouteTrafficWindow.bucketCount))
        window.record(route: "chat", target: "gpt35")
        #expect(window.shares(route: "chat") == ["gpt35": 1])
    }
}
