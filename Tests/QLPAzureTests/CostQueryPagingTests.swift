import Foundation
import QLPAzure
import QLPCore
import Testing

/// The paging state machine alone: what a Cost Management query does next
/// after a page, a hold or a wait (issue 14, findings 3 and 4).
@Suite struct CostQueryPagingTests {
    static let management = "https://management.example.test"
    static let first = management + "/subscriptions/s/providers/Microsoft.CostManagement/query?api-version=2023-03-01"
    static let columns = [CostQueryColumn(name: "Cost", type: "Number"), CostQueryColumn(name: "Currency", type: "String")]

    static func link(_ page: Int) -> String { first + "&$skiptoken=page\(page)" }
    static func rows(_ page: Int) -> [[CostQueryCell]] { [[.number(Decimal(page)), .string("GBP")]] }

    func paging(allowance: Duration = .seconds(300), waitsBeforeFirstPage: Bool = true, maxPages: Int = 500) -> CostQueryPaging {
        CostQueryPaging(
            service: "Cost Management", firstURL: Self.first, management: Self.management, maxPages: maxPages,
            allowance: allowance, limitName: "--max-wait 5m", waitsBeforeFirstPage: waitsBeforeFirstPage)
    }

    @Test func aHoldPartWayResumesFromTheSamePageKeepingThePagesFetched() throws {
        var p = paging()
        #expect(p.step == .fetch(url: Self.first, page: 1))
        try p.received(columns: Self.columns, rows: Self.rows(1), nextLink: Self.link(2))
        try p.received(columns: Self.columns, rows: Self.rows(2), nextLink: Self.link(3))
        // qlp's own budget is spent at page 3: wait, then ask for page 3 again (not page 1).
        guard case .wait(let hold) = p.held(wait: .seconds(58), reason: .ownBudget(requestsPerMinute: 2)) else {
            Issue.record("expected a wait, got \(p.step)")
            return
        }
        #expect(hold.page == 3 && hold.pagesKept == 2 && hold.retry == 1)
        #expect(hold.reason == .ownBudget(requestsPerMinute: 2))
        #expect(
            hold.progressWords == "qlp's own budget of 2 Cost Management requests a minute is spent: waiting 58 s "
                + "(retry 1, page 3, 2 pages kept); up to 5m 0s more under --max-wait 5m")
        #expect(p.waitedOut() == .fetch(url: Self.link(3), page: 3))
        #expect(p.waited == .seconds(58))
        try p.received(columns: Self.columns, rows: Self.rows(3), nextLink: nil)
        #expect(p.step == .finished(CostQueryResult(columns: Self.columns, rows: Self.rows(1) + Self.rows(2) + Self.rows(3), pages: 3)))
    }

    @Test func theServersRetryAfterIsNamedAsTheServers() {
        var p = paging()
        guard case .wait(let hold) = p.held(wait: .seconds(30), reason: .serviceAsked(header: "Retry-After")) else {
            Issue.record("expected a wait, got \(p.step)")
            return
        }
        #expect(hold.progressWords.hasPrefix("Cost Management asked qlp to wait (Retry-After): waiting 30 s (retry 1, page 1)"))
    }

    @Test func waitsAddUpAndTheOneThatWouldPassTheLimitIsGivenUpNamingIt() {
        var p = paging(allowance: .seconds(100))
        p.held(wait: .seconds(60), reason: .serviceAsked(header: "Retry-After"))
        p.waitedOut()
        // 40 s left: a second wait of 60 s is past the limit.
        guard case .gaveUp(let hold) = p.held(wait: .seconds(60), reason: .serviceAsked(header: "Retry-After")) else {
            Issue.record("expected to give up, got \(p.step)")
            return
        }
        #expect(hold.retry == 2 && hold.left == .seconds(40))
        #expect(
            hold.givingUpWords == "Cost Management asked qlp to wait (Retry-After) 1m 0s more (retry 2, page 1), "
                + "past --max-wait 5m (40 s of it left); gave up")
        // A wait that fits exactly is waited.
        var q = paging(allowance: .seconds(60))
        guard case .wait = q.held(wait: .seconds(60), reason: .ownBudget(requestsPerMinute: 5)) else {
            Issue.record("a wait the limit covers must be waited, got \(q.step)")
            return
        }
    }

    @Test func noAllowanceGivesEveryHoldBack() {
        var p = paging(allowance: .zero)
        guard case .gaveUp = p.held(wait: .milliseconds(1), reason: .ownBudget(requestsPerMinute: 5)) else {
            Issue.record("expected to give up, got \(p.step)")
            return
        }
    }

    @Test func aCallerThatWaitsOnlyToKeepPagesGivesUpAHoldBeforeTheFirst() throws {
        var p = paging(waitsBeforeFirstPage: false)
        guard case .gaveUp = p.held(wait: .seconds(5), reason: .serviceAsked(header: nil)) else {
            Issue.record("nothing to keep: the hold goes back, got \(p.step)")
            return
        }
        var q = paging(waitsBeforeFirstPage: false)
        try q.received(columns: Self.columns, rows: Self.rows(1), nextLink: Self.link(2))
        guard case .wait = q.held(wait: .seconds(5), reason: .serviceAsked(header: nil)) else {
            Issue.record("a page to keep: the hold is waited out, got \(q.step)")
            return
        }
    }

    @Test func pagingRulesStillHold() throws {
        var outside = paging()
        #expect(throws: AzureError.self) {
            try outside.received(columns: Self.columns, rows: [], nextLink: "https://evil.example.test/steal")
        }
        var changed = paging()
        try changed.received(columns: Self.columns, rows: [], nextLink: Self.link(2))
        #expect(throws: AzureError.self) {
            try changed.received(columns: [CostQueryColumn(name: "Other", type: "String")], rows: [], nextLink: nil)
        }
        var endless = paging(maxPages: 2)
        try endless.received(columns: Self.columns, rows: [], nextLink: Self.link(2))
        #expect(throws: AzureError.self) { try endless.received(columns: Self.columns, rows: [], nextLink: Self.link(3)) }
    }
}
