// The usage ledger's cost on the hot path (issue 13, acceptance 3): two
// gateways in this process, one writing every request to a SQLite ledger and
// one with no ledger, in front of the same fixed-answer upstream, driven at a
// fixed rate in alternating 5 s slices (so both see the same machine), then:
// each gateway's own time per request (its x-qlp-overhead-ms header, and the
// client's round trip) at p50/p99, what the ledger adds at p99, and whether
// the ledger holds exactly the requests that succeeded, with none dropped.
//
//   swift run -c release usage-ledger-benchmark [requests-per-second] [seconds-each]
//   (defaults: 2000 and 60)
//
// A benchmark, not a test: compare the two rows of one run, on one machine.
import Foundation
import Hummingbird
import QLPCore
import QLPGateway
import QLPHTTP
import QLPRouting
import QLPStore

let rate = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2000 : 2000
let secondsEach = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 60 : 60
let slice = 5

// The upstream: a fixed OpenAI chat completion with usage, answered at once.
let answer =
    #"{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}"#
let router = Router()
router.post("/v1/chat/completions") { _, _ -> Response in
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
}
let upstreamPort = Ports()
let upstreamApp = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
    onServerRunning: { upstreamPort.set($0.localAddress?.port ?? 0) })
let upstreamTask = Task { try await upstreamApp.runService() }
let upstreamBase = "http://127.0.0.1:\(await upstreamPort.wait())"

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-ledger-bench-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let ledger = try SQLiteUsageLedger(path: directory + "/usage.sqlite")
let writer = UsageLedgerWriter(ledger: ledger)

let target = RouteTarget(
    name: "bench", backend: .ollama, endpoint: upstreamBase, upstreamModel: "bench",
    inputCostPer1K: Decimal(string: "0.0079")!, outputCostPer1K: Decimal(string: "0.0237")!, contextWindow: 8192)
let table = RouteTable(
    version: 1, targets: [target],
    routes: [Route(name: "chat", policy: .weighted, shares: [.init(target: "bench", weight: 100)], fallback: [])])
var settings = GatewaySettings()
settings.probeInterval = .zero
let withLedger = GatewayServer(
    gateway: try Gateway(
        settings: settings, routes: LiveRouteTable(table), upstream: UpstreamSettings(),
        usageLedger: writer))
let withoutLedger = GatewayServer(gateway: try Gateway(settings: settings, routes: LiveRouteTable(table), upstream: UpstreamSettings()))
let onBase = try await withLedger.start()
let offBase = try await withoutLedger.start()
writer.start()

let client = CurlTransport(maxConcurrentTransfers: 256)
let body = Array(#"{"model":"chat","messages":[{"role":"user","content":"Say hello"}],"max_tokens":8}"#.utf8)
let headers = QLPHTTP.HTTPHeaders([("Content-Type", "application/json")])

/// Paces `count` requests at `rate` a second to `base`; returns each one's (overhead ms, round trip ms, ok).
func drive(_ base: String, count: Int) async -> [(overhead: Double, roundTrip: Double, ok: Bool)] {
    let request = QLPHTTP.HTTPRequest(
        method: .post, url: base + "/v1/chat/completions", headers: headers, body: body, timeout: .seconds(10))
    let clock = ContinuousClock()
    let interval = Duration.seconds(1) / rate
    var next = clock.now
    return await withTaskGroup(of: (Double, Double, Bool).self) { group in
        for _ in 0..<count {
            group.addTask {
                let sent = clock.now
                guard let response = try? await client.send(request) else { return (0, 0, false) }
                let trip = sent.duration(to: clock.now)
                let overhead = Double(response.headers["x-qlp-overhead-ms"] ?? "") ?? 0
                return (
                    overhead, Double(trip.components.attoseconds) / 1e15 + Double(trip.components.seconds) * 1000,
                    response.status == 200
                )
            }
            next += interval
            try? await Task.sleep(until: next, clock: clock)
        }
        var results: [(Double, Double, Bool)] = []
        for await result in group { results.append(result) }
        return results.map { (overhead: $0.0, roundTrip: $0.1, ok: $0.2) }
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

print("usage-ledger-benchmark: \(rate) requests/s, \(secondsEach) s on each gateway in \(slice) s slices, one process")
_ = await drive(onBase, count: rate)  // warm-up, not counted
_ = await drive(offBase, count: rate)
writer.flush()
let warmRows = try ledger.records(from: .distantPast, to: .distantFuture).count
var on: [(overhead: Double, roundTrip: Double, ok: Bool)] = []
var off: [(overhead: Double, roundTrip: Double, ok: Bool)] = []
let started = Date()
for _ in 0..<max(1, secondsEach / slice) {
    on += await drive(onBase, count: rate * slice)
    off += await drive(offBase, count: rate * slice)
}
let wall = Date().timeIntervalSince(started)
await withLedger.stop()
await withoutLedger.stop()
writer.stop()
let rows = try ledger.records(from: .distantPast, to: .distantFuture).count - warmRows

func line(_ name: String, _ runs: [(overhead: Double, roundTrip: Double, ok: Bool)]) -> (Double, Double) {
    let overhead = runs.filter(\.ok).map(\.overhead)
    let trips = runs.filter(\.ok).map(\.roundTrip)
    print(
        String(
            format: "  %-14@ %7d ok %5d failed   overhead p50 %.3f ms p99 %.3f ms   round trip p50 %.3f ms p99 %.3f ms",
            name as NSString, overhead.count, runs.count - overhead.count, percentile(overhead, 0.5), percentile(overhead, 0.99),
            percentile(trips, 0.5), percentile(trips, 0.99)))
    return (percentile(overhead, 0.99), percentile(trips, 0.99))
}
let (onOverhead, onTrip) = line("ledger on", on)
let (offOverhead, offTrip) = line("ledger off", off)
let succeeded = on.filter(\.ok).count
let counts = writer.counts
print(String(format: "  achieved %.0f requests/s over %.0f s", Double(on.count + off.count) / wall, wall))
print(
    String(
        format: "  the ledger adds at p99: overhead %+.3f ms, round trip %+.3f ms (target: at most 0.1 ms)",
        onOverhead - offOverhead, onTrip - offTrip))
print("  ledger rows \(rows), successful requests \(succeeded), dropped \(counts.dropped), failed \(counts.failed)")
let pass = onOverhead - offOverhead <= 0.1 && rows == succeeded && counts.dropped == 0 && counts.failed == 0
print(pass ? "PASS" : "MISS")
client.shutdown()
upstreamTask.cancel()

/// The upstream's port, told once it listens.
actor Ports {
    private var port: Int?
    private var waiting: [CheckedContinuation<Int, Never>] = []
    nonisolated func set(_ value: Int) { Task { await self.store(value) } }
    private func store(_ value: Int) {
        port = value
        for continuation in waiting { continuation.resume(returning: value) }
        waiting = []
    }
    func wait() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiting.append($0) }
    }
}
