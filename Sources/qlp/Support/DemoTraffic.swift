import Foundation
import QLPDashboard
import QLPFeed
import QLPHTTP
import Synchronization

/// The demo's own clients: a few requests a second through the embedded
/// gateway, spread over the routes, so the Routing view's observed shares and
/// the Models view's latencies have something to show. Only `qlp demo` runs
/// it, against the emulator; the screen is marked DEMO.
struct DemoTraffic: FeedPoller {
    let gatewayBase: String
    let routes: [String]
    /// The demo's keys, each used for the routes it sends to; none: requests carry no key.
    var clients: [DemoKeys.Client] = []
    let wake = WakeSignal()
    /// Requests started per second, and the most that may wait on an answer at
    /// once. Fifteen a second puts about 36 chat requests in the gateway's 4 s
    /// traffic window. Answers land out of step (GPT-4 is emulated three times
    /// slower than GPT-3.5), so at ten a second a 40 % share read 35-47 % and a
    /// 5-point shift took up to 4.1 s to stand out; more requests narrow that.
    /// Cheap: the emulator answers in process, on loopback. The in-flight
    /// bound covers four seconds' worth, the slowest model's emulated p95
    /// (codellama).
    var perSecond = 15
    var maxInFlight = 64

    func run() async {
        let transport = CurlTransport(maxConcurrentTransfers: maxInFlight)
        defer { transport.shutdown() }
        let inFlight = InFlightCount()
        var sent = 0
        // Paced by the clock, not by a sleep after each send, so the rate is the one named above.
        let clock = ContinuousClock()
        let interval = Duration.seconds(1) / perSecond
        var next = clock.now
        // Discarding: a demo left running for hours must not keep every finished request.
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                if inFlight.value < maxInFlight, !routes.isEmpty {
                    let route = routes[Self.routeIndex(sent, count: routes.count)]
                    let key = Self.client(for: route, n: sent / 10, among: clients)?.secret
                    sent += 1
                    inFlight.add(1)
                    let request = Self.request(route: route, base: gatewayBase, n: sent, key: key)
                    group.addTask {
                        _ = try? await transport.send(request)
                        inFlight.add(-1)
                    }
                }
                next += interval
                let now = clock.now
                // After a stall (a suspended laptop, a busy machine) start afresh rather than send a burst.
                if next < now - interval { next = now }
                if next > now { _ = await wake.wait(for: next - now) }
            }
            group.cancelAll()
        }
    }

    /// Mostly the first route (chat), as a platform's traffic would be.
    static func routeIndex(_ n: Int, count: Int) -> Int {
        let slot = n % 10
        return slot < 6 ? 0 : min(count - 1, slot < 9 ? 1 : 2)
    }

    /// The client that sends a request to `route` in the n-th round of ten:
    /// the first that uses the route nine rounds in ten, the last the tenth
    /// (the nightly jobs' share of chat and embeddings, say).
    static func client(for route: String, n: Int, among clients: [DemoKeys.Client]) -> DemoKeys.Client? {
        let eligible = clients.filter { $0.routes.contains(route) }
        guard let first = eligible.first, let last = eligible.last else { return nil }
        return n % 10 == 9 ? last : first
    }

    static func request(route: String, base: String, n: Int, key: String? = nil) -> HTTPRequest {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        if let key { headers.add(name: "Authorization", value: "Bearer \(key)") }
        let embeddings = route.contains("embed")
        let body =
            embeddings
            ? #"{"model":"\#(route)","input":"demo request \#(n)"}"#
            : #"{"model":"\#(route)","max_tokens":24,"messages":[{"role":"user","content":"Demo request \#(n): summarise today's deployments."}]}"#
        return HTTPRequest(
            method: .post, url: base + (embeddings ? "/v1/embeddings" : "/v1/chat/completions"), headers: headers,
            body: Array(body.utf8), timeout: .seconds(30))
    }
}

/// Requests of the demo traffic still waiting on an answer.
private final class InFlightCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add(_ delta: Int) { count.withLock { $0 += delta } }
}
