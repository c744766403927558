import Foundation
import QLPCore
import Testing

/// The per-key limits as a state machine on a fake clock: sliding windows,
/// budgets per period, route lists, settlement by actual tokens.
@Suite struct KeyUsageTests {
    let utc = TimeZone(identifier: "UTC")!
    let start = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z

    @Test func thirtyRequestsAMinuteAdmitThirtyOfFortyInTenSecondsAndNameTheWait() {
        var usage = KeyUsage()
        let limits = KeyLimits(requestsPerMinute: 30)
        var admitted = 0
        var refusals: [KeyRefusal] = []
        for i in 0..<40 {
            let now = start.addingTimeInterval(Double(i) * 0.25)
            switch usage.decide(limits, route: "chat", estimatedTokens: 10, now: now, timeZone: utc) {
            case .admitted: admitted += 1
            case .refused(let refusal): refusals.append(refusal)
            }
        }
        #expect(admitted == 30)
        #expect(refusals.count == 10)
        // The first request (at 0 s) leaves the window at 60 s; the last refusal came at 9.75 s.
        #expect(refusals.last == .requestRate(limit: 30, retryAfterSeconds: 51))
        #expect(usage.refused == 10)
        // A minute after the first, one more fits.
        let later = start.addingTimeInterval(60.1)
        guard case .admitted = usage.decide(limits, route: "chat", estimatedTokens: 10, now: later, timeZone: utc) else {
            Issue.record("a request after the window slid should be admitted")
            return
        }
    }

    @Test func tokensPerMinuteUseTheEstimateThenTheActualCount() {
        var usage = KeyUsage()
        let limits = KeyLimits(tokensPerMinute: 1000)
        guard case .admitted(let first) = usage.decide(limits, route: "chat", estimatedTokens: 900, now: start, timeZone: utc) else {
            Issue.record("first request refused")
            return
        }
        // 900 reserved: a 200-token request does not fit...
        #expect(
            usage.decide(limits, route: "chat", estimatedTokens: 200, now: start.addingTimeInterval(1), timeZone: utc)
                == .refused(.tokenRate(limit: 1000, estimate: 200, retryAfterSeconds: 59)))
        // ...until the first answer says it used 120.
        usage.settle(first, route: "chat", tokens: TokenCounts(input: 20, output: 100), cost: nil)
        guard case .admitted = usage.decide(limits, route: "chat", estimatedTokens: 200, now: start.addingTimeInterval(2), timeZone: utc)
        else {
            Issue.record("should fit once the estimate was corrected")
            return
        }
        #expect(usage.lastMinute(now: start.addingTimeInterval(3)).tokens == 320)
        #expect(usage.lastMinute(now: start.addingTimeInterval(63)).tokens == 0)
    }

    @Test func aBudgetStopsTheKeyOnceSpentAndResetsWithTheMonth() {
        var usage = KeyUsage()
        let budget = KeyBudget(amount: Decimal(string: "0.05")!, period: .month)
        let limits = KeyLimits(budget: budget)
        var now = start
        var served = 0
        while case .admitted(let reservation) = usage.decide(limits, route: "chat", estimatedTokens: 0, now: now, timeZone: utc) {
            usage.settle(reservation, route: "chat", tokens: TokenCounts(input: 500, output: 300), cost: Decimal(string: "0.0111")!)
            served += 1
            now = now.addingTimeInterval(1)
        }
        // 4 × 0.0111 = 0.0444 < 0.05 admits a fifth; 0.0555 ≥ 0.05 stops it: within one request's cost.
        #expect(served == 5)
        #expect(usage.spent == Decimal(string: "0.0555")!)
        let december = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01T00:00:00Z
        #expect(
            usage.decide(limits, route: "chat", estimatedTokens: 0, now: now, timeZone: utc)
                == .refused(.budget(budget, spent: Decimal(string: "0.0555")!, resets: december)))
        #expect(usage.asOf(december, budgetPeriod: .month, timeZone: utc).spent == 0, "a quiet key's new month shows nothing spent")
        guard case .admitted = usage.decide(limits, route: "chat", estimatedTokens: 0, now: december, timeZone: utc) else {
            Issue.record("the new month should start from nothing")
            return
        }
        #expect(usage.spent == 0)
    }

    @Test func aKeyLimitedToChatIsRefusedCodeFirst() {
        var usage = KeyUsage()
        let limits = KeyLimits(requestsPerMinute: 1, routes: ["chat"])
        #expect(
            usage.decide(limits, route: "code", estimatedTokens: 1, now: start, timeZone: utc)
                == .refused(.routeNotAllowed(route: "code", allowed: ["chat"])))
        guard case .admitted = usage.decide(limits, route: "chat", estimatedTokens: 1, now: start, timeZone: utc) else {
            Issue.record("chat should be admitted: the refused code request used no part of the rate")
            return
        }
    }

    @Test func seedingFromTheLedgerCountsOnlyThisPeriod() {
        var usage = KeyUsage()
        let november = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01T00:00:00Z
        let rollups = [
            UsageRollup(
                hour: november.addingTimeInterval(-3600), keyName: "app", route: "chat", target: "gpt4", requests: 9,
                succeeded: 9, inputTokens: 900, outputTokens: 900, cost: 9),
            UsageRollup(
                hour: november.addingTimeInterval(3600), keyName: "app", route: "chat", target: "gpt4", requests: 2,
                succeeded: 2, inputTokens: 100, outputTokens: 50, cost: Decimal(string: "0.04")!),
        ]
        usage.seed(rollups, budgetPeriod: .month, now: start, timeZone: utc)
        #expect(usage.spent == Decimal(string: "0.04")!)
        #expect(usage.periodRequests == 2)
        #expect(usage.periodTokens == 150)
        #expect(usage.routeSpend["chat"]?.requests == 2)
    }

    @Test func weeksStartOnMondayInTheBudgetsTimeZone() {
        let london = TimeZone(identifier: "Europe/London")!
        // Thursday 2026-12-03 12:00 UTC.
        let thursday = Date(timeIntervalSince1970: 1_796_299_200)
        let window = KeyBudget(amount: 1, period: .week).window(containing: thursday, in: london)
        // Monday 2026-11-30 00:00 in London (GMT in winter).
        #expect(window.start == Date(timeIntervalSince1970: 1_795_996_800))
        #expect(window.resets.timeIntervalSince(window.start) == 7 * 86_400)
    }
}
