import Foundation
import QLPAzure
import QLPCore
import QLPHTTP
import Testing

/// Issue 14, finding 5: what a 429's headers say becomes a wait of at most an
/// hour, read by the one parser every layer shares (dates included).
@Suite struct RetryAfterHeaderTests {
    func throttledWait(_ headers: HTTPHeaders) async throws -> Duration? {
        let transport = ScriptedTransport([HTTPResponse(status: 429, headers: headers, body: [])])
        let client = CostManagementClient(
            transport: transport, tokens: TokenCache(source: CountingTokenSource()),
            management: "https://arm.example.test", tokenScope: "https://management.azure.com/.default")
        let day = CivilDate(year: 2026, month: 11, day: 2)!
        do {
            _ = try await client.query(scope: "subscriptions/s-1", .dailyCostByService(from: day, to: day))
            Issue.record("a 429 must throw")
            return nil
        } catch {
            guard case .throttled(_, _, let wait, _) = error else {
                Issue.record("expected throttled, got \(error)")
                return nil
            }
            return wait
        }
    }

    @Test func finding05_hugeMillisecondsWaitIsAnHourNotACrash() async throws {
        #expect(try await throttledWait(["retry-after-ms": "9223372036854775807"]) == .seconds(3600))
        #expect(try await throttledWait(["x-ms-retry-after-ms": "9223372036854775807"]) == .seconds(3600))
    }

    @Test func finding05_hugeSecondsFromAnyHeaderAreAnHour() async throws {
        #expect(try await throttledWait(["Retry-After": "9223372036854775807"]) == .seconds(3600))
        #expect(
            try await throttledWait(["x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after": "9223372036854775807"])
                == .seconds(3600))
    }

    @Test func finding05_anHTTPDateIsRead() async throws {
        let inTwoMinutes = Date().addingTimeInterval(120)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        // Bounds from the clock read around the call, not fixed ones: on a loaded machine the call can take
        // tens of seconds, and the header's whole seconds drop up to one more.
        let before = Date()
        let wait = try #require(try await throttledWait(["Retry-After": formatter.string(from: inTwoMinutes)]))
        let after = Date()
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        #expect(seconds <= inTwoMinutes.timeIntervalSince(before) + 0.001, "waited \(wait)")
        #expect(seconds >= inTwoMinutes.timeIntervalSince(after) - 1.001, "waited \(wait)")
    }
}
