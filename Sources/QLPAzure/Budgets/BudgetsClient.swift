import Foundation
import QLPCore
import QLPHTTP

/// Reads the budgets set in Azure (Consumption or Cost Management API), so
/// the dashboard can show Azure's own view beside qlp's.
public struct BudgetsClient: Sendable {
    public enum Provider: String, Sendable {
        case consumption = "Microsoft.Consumption"
        case costManagement = "Microsoft.CostManagement"

        var apiVersion: String { self == .consumption ? "2024-08-01" : "2025-03-01" }
    }

    public var transport: any HTTPTransport
    public var tokens: TokenCache
    public var management: String
    public var tokenScope: String
    public var provider: Provider
    public var timeout: Duration

    static let service = "Azure budgets"

    public init(
        transport: any HTTPTransport, tokens: TokenCache, management: String, tokenScope: String,
        provider: Provider = .consumption, timeout: Duration = .seconds(30)
    ) {
        self.transport = transport
        self.tokens = tokens
        var base = management
        while base.hasSuffix("/") { base.removeLast() }
        self.management = base
        self.tokenScope = tokenScope
        self.provider = provider
        self.timeout = timeout
    }

    /// Every budget at `scope`. Malformed notification entries are skipped and
    /// listed on each budget (Microsoft's own example has one), never fatal.
    public func list(scope: String) async throws(AzureError) -> [AzureBudget] {
        let trimmed = scope.hasPrefix("/") ? String(scope.dropFirst()) : scope
        let url = "\(management)/\(trimmed)/providers/\(provider.rawValue)/budgets?api-version=\(provider.apiVersion)"
        let token = try await tokens.token(for: tokenScope)
        let request = HTTPRequest(
            method: .get, url: url,
            headers: [
                "Authorization": "Bearer \(token.token.reveal())",
                "Accept": "application/json",
            ], timeout: timeout)
        let response = try await transport.send(request, for: Self.service)
        switch response.status {
        case 200:
            do {
                return try JSONDecoder().decode(AzureBudgetList.self, from: response.body).value
            } catch {
                throw .malformedResponse(
                    service: Self.service, endpoint: request.endpoint, status: 200,
                    detail: DecodingProblem.describe(error), excerpt: AzureError.excerpt(response.body))
            }
        case 429:
            throw .throttled(
                service: Self.service, endpoint: request.endpoint, retryAfter: RetryAfter.wait(from: response.headers) ?? .seconds(60))
        default:
            if response.status == 401 { await tokens.invalidate(scope: tokenScope) }
            let detail = ARMErrorBody.decode(response.body)
            throw .http(
                service: Self.service, endpoint: request.endpoint, status: response.status, code: detail?.code,
                message: detail?.message ?? (response.body.isEmpty ? nil : AzureError.excerpt(response.body)),
                requestID: AzureRequestTrace.requestID(of: response))
        }
    }
}
