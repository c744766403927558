import Foundation
import Logging
import QLPCore
import QLPHTTP

/// Reads cost from Azure Cost Management's query API, following nextLink
/// pages (POST with the same body, as the API requires).
public struct CostManagementClient: Sendable {
    public var transport: any HTTPTransport
    public var tokens: TokenCache
    /// Resource Manager base URL, e.g. https://management.azure.com.
    public var management: String
    public var tokenScope: String
    public var apiVersion: String
    public var timeout: Duration
    /// Paging stops with an error beyond this many pages, so a server that
    /// keeps answering with nextLinks cannot loop us forever.
    public var maxPages: Int
    /// Whether a query waits out holds (keeping the pages it has) or hands
    /// the first back to the caller; by default it hands it back.
    public var waiting: ThrottleWaiting
    public var logger: Logger

    static let service = "Cost Management"

    public init(
        transport: any HTTPTransport, tokens: TokenCache, management: String, tokenScope: String,
        apiVersion: String = "2023-03-01", timeout: Duration = .seconds(30), maxPages: Int = 500,
        waiting: ThrottleWaiting = .never, logger: Logger = Logger(label: "qlp.azure.cost")
    ) {
        self.transport = transport
        self.tokens = tokens
        var base = management
        while base.hasSuffix("/") { base.removeLast() }
        self.management = base
        self.tokenScope = tokenScope
        self.apiVersion = apiVersion
        self.timeout = timeout
        self.maxPages = maxPages
        self.waiting = waiting
        self.logger = logger
    }

    /// Runs a query at `scope` ("subscriptions/{id}") and joins every page.
    public func query(scope: String, _ definition: CostQueryDefinition) async throws(AzureError) -> CostQueryResult {
        try await run(operation: "query", scope: scope, definition)
    }

    /// Azure's forecast for the days given: actual to yesterday, its model after.
    public func forecast(scope: String, from first: CivilDate, to last: CivilDate) async throws(AzureError) -> CostForecast {
        let days = DayRange(first, last) ?? DayRange(first, first)!
        let result = try await run(operation: "forecast", scope: scope, .forecast(from: days.first, to: days.last))
        do {
            return try result.forecastTotals(days: days)
        } catch {
            throw .malformedResponse(
                service: Self.service, endpoint: "\(management)/\(scope)/providers/Microsoft.CostManagement/forecast",
                status: 200, detail: error.description, excerpt: "")
        }
    }

    private func run(operation: String, scope: String, _ definition: CostQueryDefinition) async throws(AzureError) -> CostQueryResult {
        let trimmedScope = scope.hasPrefix("/") ? String(scope.dropFirst()) : scope
        let url = "\(management)/\(trimmedScope)/providers/Microsoft.CostManagement/\(operation)?api-version=\(apiVersion)"
        let body = definition.jsonBody
        var paging = CostQueryPaging(
            service: Self.service, firstURL: url, management: management, maxPages: maxPages,
            allowance: waiting.limit.left, limitName: waiting.limit.name,
            waitsBeforeFirstPage: waiting.waitsBeforeFirstPage)
        while true {
            switch paging.step {
            case .fetch(let url, _):
                do {
                    let page = try await fetchPage(url: url, body: body)
                    try paging.received(columns: page.properties.columns, rows: page.properties.rows, nextLink: page.properties.nextLink)
                } catch {
                    guard case .throttled(_, _, let wait, let reason) = error else { throw error }
                    paging.held(wait: wait, reason: reason)
                }
            case .wait(let hold):
                logger.info(
                    "cost query held",
                    metadata: [
                        "reason": "\(hold.reason.words(service: Self.service))",
                        "wait_s": "\(AzureError.seconds(hold.wait))", "page": "\(hold.page)",
                    ])
                waiting.onWait(hold)
                do {
                    try await waiting.sleep(hold.wait)
                } catch {
                    throw .transport(service: Self.service, .cancelled(endpoint: hold.endpoint))
                }
                waiting.limit.spend(hold.wait)
                paging.waitedOut()
            case .gaveUp(let hold):
                // A caller that waits on its own schedule gets the hold as it came.
                guard !waiting.limit.returnsHolds, hold.pagesKept > 0 || waiting.waitsBeforeFirstPage else {
                    throw .throttled(service: Self.service, endpoint: hold.endpoint, retryAfter: hold.wait, reason: hold.reason)
                }
                throw .gaveUpWaiting(hold)
            case .finished(let result):
                logger.debug(
                    "cost query", metadata: ["scope": "\(trimmedScope)", "pages": "\(result.pages)", "rows": "\(result.rows.count)"])
                return result
            }
        }
    }

    /// Actual cost per day per service, first...last inclusive.
    public func dailyCostsByService(scope: String, from first: CivilDate, to last: CivilDate) async throws(AzureError) -> (
        costs: [DailyCost], pages: Int
    ) {
        let result = try await query(scope: scope, .dailyCostByService(from: first, to: last))
        do {
            return (try result.dailyCosts(), result.pages)
        } catch {
            throw .malformedResponse(
                service: Self.service, endpoint: "\(management)/\(scope)/providers/Microsoft.CostManagement/query",
                status: 200, detail: error.description, excerpt: "")
        }
    }

    /// Actual cost per day per service and resource group, for the finance report.
    public func dailyCostRecords(scope: String, from first: CivilDate, to last: CivilDate) async throws(AzureError) -> [CostRecord] {
        let result = try await query(scope: scope, .dailyCostByServiceAndResourceGroup(from: first, to: last))
        do {
            return try result.dailyRecords()
        } catch {
            throw .malformedResponse(service: Self.service, endpoint: scope, status: 200, detail: error.description, excerpt: "")
        }
    }

    /// Actual cost per day per value of one tag ("" for untagged).
    public func dailyTagSpend(scope: String, tag: String, from first: CivilDate, to last: CivilDate) async throws(AzureError)
        -> (currency: Currency?, spend: [String: DailySpend])
    {
        let result = try await query(scope: scope, .dailyCostByTag(tag, from: first, to: last))
        do {
            return try result.dailyTagSpend()
        } catch {
            throw .malformedResponse(service: Self.service, endpoint: scope, status: 200, detail: error.description, excerpt: "")
        }
    }

    private func fetchPage(url: String, body: [UInt8]) async throws(AzureError) -> CostQueryResponse {
        let token = try await tokens.token(for: tokenScope)
        let request = HTTPRequest(
            method: .post, url: url,
            headers: [
                "Authorization": "Bearer \(token.token.reveal())",
                "Content-Type": "application/json", "Accept": "application/json",
            ],
            body: body, timeout: timeout)
        let response = try await transport.send(request, for: Self.service)
        let endpoint = request.endpoint
        switch response.status {
        case 200:
            if let problem = ContentTypeCheck.problem(response.headers) {
                throw .malformedResponse(
                    service: Self.service, endpoint: endpoint, status: 200, detail: problem,
                    excerpt: AzureError.excerpt(response.body))
            }
            do {
                return try JSONDecoder().decode(CostQueryResponse.self, from: response.body)
            } catch {
                throw .malformedResponse(
                    service: Self.service, endpoint: endpoint, status: 200,
                    detail: DecodingProblem.describe(error), excerpt: AzureError.excerpt(response.body))
            }
        case 204:
            // "No content": the query matched nothing.
            return CostQueryResponse(properties: .init(nextLink: nil, columns: [], rows: []))
        case 429:
            // The header named, so the screen and stderr say what Cost Management asked by.
            let asked = RetryAfter.read(response.headers, now: Date())
            throw .throttled(
                service: Self.service, endpoint: endpoint, retryAfter: asked?.wait ?? .seconds(60),
                reason: .serviceAsked(header: asked?.header))
        case 401:
            await tokens.invalidate(scope: tokenScope)
            fallthrough
        default:
            let detail = ARMErrorBody.decode(response.body)
            throw .http(
                service: Self.service, endpoint: endpoint, status: response.status,
                code: detail?.code, message: detail?.message ?? (response.body.isEmpty ? nil : AzureError.excerpt(response.body)),
                requestID: AzureRequestTrace.requestID(of: response))
        }
    }
}

/// Endpoints for messages: no query string (it may carry skip tokens or keys).
enum RedactedURL {
    static func endpoint(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}

/// Turns DecodingError into one readable sentence.
enum DecodingProblem {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "the body" : String(p.drop { $0 == "." })
        }
        switch error {
        case .dataCorrupted(let c):
            return c.codingPath.isEmpty ? "not valid JSON (truncated or corrupted)" : "\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "\(path(c)) has no '\(key.stringValue)'"
        case .typeMismatch(_, let c): return "\(path(c)): \(c.debugDescription)"
        case .valueNotFound(_, let c): return "\(path(c)) is null"
        @unknown default: return "not the documented shape"
        }
    }
}
