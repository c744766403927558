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

@Suite struct RouteTrafficFiguresTests {
    @Test func figuresCountFallbacksLatencyAndThrottlesOverTheWindow() {
        let clock = RouteTrafficWindowTests.SteppedClock()
        let window = RouteTrafficWindow(clock: { clock.now })
        // 20 chat requests: 5 by a fallback; latencies 10, 20, ... 200 ms.
        for n in 1...20 {
            window.record(route: "chat", target: n <= 5 ? "gpt35" : "gpt4", byFallback: n <= 5, latencyMilliseconds: Double(n * 10))
        }
        window.record(route: "code", target: "codellama")
        for _ in 0..<3 { window.recordThrottled(target: "gpt4") }
        let figures = window.figures()
        let seconds = Double(RouteTrafficWindow.bucketCount) * RouteTrafficWindow.bucketSeconds
        #expect(figures.windowSeconds == Int(seconds))
        #expect(figures.routes["chat"] == TrafficFigures.Route(requests: 20, byFallback: 5, p95Milliseconds: 190, latencySamples: 20))
        #expect(figures.routes["code"] == TrafficFigures.Route(requests: 1, byFallback: 0, p95Milliseconds: nil, latencySamples: 0))
        #expect(figures.throttled == ["gpt4": 3])

        // Half the window later the same figures hold; a full window later they are gone.
        clock.advance(seconds / 2)
        window.recordThrottled(target: "gpt35")
        #expect(window.figures().throttled == ["gpt4": 3, "gpt35": 1])
        clock.advance(seconds / 2)
        #expect(window.figures().throttled == ["gpt35": 1])
        #expect(window.figures().routes.isEmpty)
    }

    @Test func latencySamplesPerSecondAreBounded() {
        let clock = RouteTrafficWindowTests.SteppedClock()
        let window = RouteTrafficWindow(clock: { clock.now })
        let many = RouteTrafficWindow.latencySamplesPerBucket + 100
        for _ in 0..<many { window.record(route: "chat", target: "gpt4", latencyMilliseconds: 5) }
        let chat = window.figures().routes["chat"]
        #expect(chat?.requests == many)
        #expect(chat?.latencySamples == RouteTrafficWindow.latencySamplesPerBucket)
    }
}

/// What recording costs a request: prints the figure (no timed assertion on
/// a shared machine), and checks nothing was lost under contention.
@Suite struct RouteTrafficWindowCostTests {
    @Test func recordingFromTwoTasksAtOnce() async {
        let window = RouteTrafficWindow()
        let perTask = 200_000
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<2 {
                group.addTask {
                    for n in 0..<perTask {
                        window.record(
                            route: "chat", target: task == 0 ? "gpt4" : "gpt35", byFallback: n % 4 == 0,
                            latencyMilliseconds: Double(n % 1000))
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        let nanoseconds = Double(elapsed.components.attoseconds) / 1e9 + Double(elapsed.components.seconds) * 1e9
        print("RouteTrafficWindow.record: \(Int(nanoseconds / Double(2 * perTask))) ns a call, two tasks contending (debug build)")
        // Unless the run spanned more than a window, every request is still in it.
        let chat = window.figures().routes["chat"]
        if elapsed < .seconds(RouteTrafficWindow.bucketCount - 1) {
            #expect(chat?.requests == 2 * perTask)
            #expect(chat?.byFallback == 2 * perTask / 4)
        }
    }
}
