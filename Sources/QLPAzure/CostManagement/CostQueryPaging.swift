/// What a paged Cost Management query does next: ask for a page, wait out a
/// hold, finish, or give up. A value with no clock and no I/O: the client
/// does what `step` says and reports back, so every path (pages kept across
/// holds, the limit on waiting, the server's Retry-After against qlp's own
/// budget) is tested without a network or real time.
///
/// A hold never throws away pages fetched: after the wait the same page (the
/// continuation nextLink) is asked for again.
public struct CostQueryPaging: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Ask for page `page` (1-based) at `url`.
        case fetch(url: String, page: Int)
        /// Wait, then ask for the same page again.
        case wait(ThrottleWait)
        /// Every page is in.
        case finished(CostQueryResult)
        /// Waiting out this hold would go past the limit (or the caller waits
        /// only once it has pages to keep): the hold goes back to the caller.
        case gaveUp(ThrottleWait)
    }

    public let service: String
    /// Resource Manager's base URL: nextLinks must stay under it (the bearer token goes with them).
    public let management: String
    public let maxPages: Int
    /// Waiting allowed for this query, and what sets it.
    public let allowance: Duration
    public let limitName: String
    public let waitsBeforeFirstPage: Bool

    public private(set) var step: Step
    public private(set) var waited: Duration = .zero
    private var url: String
    private var columns: [CostQueryColumn]?
    private var rows: [[CostQueryCell]] = []
    private var pagesKept = 0
    private var holds = 0

    public init(
        service: String, firstURL: String, management: String, maxPages: Int, allowance: Duration, limitName: String,
        waitsBeforeFirstPage: Bool
    ) {
        self.service = service
        self.management = management
        self.maxPages = max(1, maxPages)
        self.allowance = max(allowance, .zero)
        self.limitName = limitName
        self.waitsBeforeFirstPage = waitsBeforeFirstPage
        self.url = firstURL
        self.step = .fetch(url: firstURL, page: 1)
    }

    /// A page arrived: keep its rows and move to the next page or finish.
    /// - Throws: a page whose columns differ from the first's, a nextLink
    ///   outside Resource Manager, more than `maxPages` pages.
    @discardableResult
    public mutating func received(
        columns pageColumns: [CostQueryColumn], rows pageRows: [[CostQueryCell]],
        nextLink: String?
    ) throws(AzureError) -> Step {
        let page = pagesKept + 1
        if let columns, columns != pageColumns {
            throw .malformedResponse(
                service: service, endpoint: RedactedURL.endpoint(url), status: 200,
                detail: "page \(page) has different columns from page 1", excerpt: "")
        }
        columns = pageColumns
        rows += pageRows
        pagesKept = page
        guard let next = nextLink, !next.isEmpty else {
            step = .finished(CostQueryResult(columns: columns ?? [], rows: rows, pages: pagesKept))
            return step
        }
        // The bearer token must only go back to Resource Manager itself.
        guard next.lowercased().hasPrefix(management.lowercased() + "/") else {
            throw .paging(service: service, detail: "nextLink points outside \(management); not following it")
        }
        guard page < maxPages else {
            throw .paging(service: service, detail: "more than \(maxPages) pages of results; narrow the query")
        }
        url = next
        step = .fetch(url: next, page: page + 1)
        return step
    }

    /// The page was held (the service answered 429, or qlp's own budget is
    /// spent) for `wait`: wait it out if the allowance covers it, else give up.
    @discardableResult
    public mutating func held(wait: Duration, reason: HoldReason) -> Step {
        holds += 1
        let left = max(allowance - waited, .zero)
        let hold = ThrottleWait(
            service: service, endpoint: RedactedURL.endpoint(url), wait: wait, reason: reason, retry: holds,
            page: pagesKept + 1, pagesKept: pagesKept, left: left, limitName: limitName)
        let worthWaiting = waitsBeforeFirstPage || pagesKept > 0
        step = worthWaiting && wait <= left ? .wait(hold) : .gaveUp(hold)
        return step
    }

    /// The wait `step` asked for is over: ask for the same page again.
    @discardableResult
    public mutating func waitedOut() -> Step {
        guard case .wait(let hold) = step else { return step }
        waited += hold.wait
        step = .fetch(url: url, page: pagesKept + 1)
        return step
    }
}
