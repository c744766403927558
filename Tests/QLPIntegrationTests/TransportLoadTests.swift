import Foundation
import QLPEmulator
import QLPHTTP
import Testing

/// Many transfers on one multi handle: 200 emulator responses, at most 16 at
/// once, no failure. Prints the timing fields (this is a check, not a benchmark).
@Suite struct TransportLoadTests {
    @Test func twoHundredResponsesWithAtMostSixteenConcurrent() async throws {
        try await withHarness { h in
            // Added latency makes the requests overlap, so the limit is exercised.
            h.emulator.faults.set(EndpointFault(latencyMilliseconds: 20), for: .token)
            h.emulator.statistics.reset()
            let transport = CurlTransport(maxConcurrentTransfers: 16)
            defer { transport.shutdown() }
            let configuration = h.emulator.configuration
            let url = "\(h.base)/\(configuration.tenantID)/oauth2/v2.0/token"
            let form =
                "grant_type=client_credentials&client_id=\(configuration.clientID)&client_secret=\(configuration.clientSecret)&scope=https%3A%2F%2Fmanagement.azure.com%2F.default"
            let started = ContinuousClock.now
            let timings = try await withThrowingTaskGroup(of: HTTPTimings.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        let response = try await transport.send(
                            HTTPRequest(
                                method: .post, url: url, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                body: Array(form.utf8), timeout: .seconds(20)))
                        guard response.status == 200 else { throw HTTPTransportError.invalidRequest(detail: "status \(response.status)") }
                        return response.timings
                    }
                }
                var all: [HTTPTimings] = []
                for try await t in group { all.append(t) }
                return all
            }
            let elapsed = ContinuousClock.now - started
            #expect(timings.count == 200)
            #expect(h.emulator.statistics.requests(to: .token) == 200)
            let peak = h.emulator.statistics.maxConcurrentRequests
            #expect(peak <= 16, "the server saw \(peak) requests at once")
            #expect(peak >= 8, "requests should overlap; the server saw at most \(peak)")
            for t in timings {
                #expect(t.connect <= t.timeToFirstByte && t.timeToFirstByte <= t.total)
            }
            func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
            func summary(_ name: String, _ values: [Duration]) -> String {
                let sorted = values.map(ms).sorted()
                return String(
                    format: "%@ min %.2f / p50 %.2f / p95 %.2f / max %.2f ms", name, sorted.first!,
                    sorted[sorted.count / 2], sorted[sorted.count * 95 / 100], sorted.last!)
            }
            print("transport: 200 responses, 16 max in flight (server saw \(peak)), \(elapsed) in all")
            print(summary("connect", timings.map(\.connect)))
            print(summary("time to first byte", timings.map(\.timeToFirstByte)))
            print(summary("total", timings.map(\.total)))
        }
    }
}
