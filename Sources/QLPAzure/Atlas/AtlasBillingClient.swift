import Foundation
import QLPCore
import QLPHTTP

/// Reads MongoDB Atlas invoices through the Atlas Administration API v2, so
/// that qlp can show how much of the Atlas credit is used (``AtlasCreditUse``).
///
/// Authentication is an organisation API key: HTTP Digest with the public key
/// as user and the private key as password (libcurl answers the challenge,
/// so each call is two round trips and the key never crosses the wire).
/// The key needs the Organization Billing Viewer role. Atlas allows 100
/// requests a minute per key; a 429 is ``AzureError/throttled(service:endpoint:retryAfter:)``.
public struct AtlasBillingClient: Sendable {
    public var transport: any HTTPTransport
    /// Without a trailing slash, e.g. https://cloud.mongodb.com.
    public var baseURL: String
    public var orgID: String
    public var publicKey: String
    public var privateKey: Secret
    public var timeout: Duration
    /// Invoices per page of the list (Atlas: 1...500, default 100).
    public var pageSize: Int
    /// Pages read at most before giving up with ``AzureError/paging(service:detail:)``.
    public var maxPages: Int

    public static let service = "MongoDB Atlas"
    public static let defaultBaseURL = "https://cloud.mongodb.com"
    /// The resource version every call asks for.
    public static let acceptHeader = "application/vnd.atlas.2023-01-01+json"
    /// What to do about a 401.
    public static let authenticationRemedy =
        "check mongodb_atlas.admin_api public_key/private_key; "
        + "the key needs the Organization Billing Viewer role"
    /// What to do about a 403.
    public static let forbiddenRemedy =
        "the API key needs the Organization Billing Viewer role on this organization, "
        + "and its API access list must allow this machine's address"

    public init(
        transport: any HTTPTransport, baseURL: String = AtlasBillingClient.defaultBaseURL, orgID: String,
        publicKey: String, privateKey: Secret, timeout: Duration = .seconds(30), pageSize: Int = 100,
        maxPages: Int = 100
    ) {
        self.transport = transport
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.orgID = orgID
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.timeout = timeout
        self.pageSize = min(500, max(1, pageSize))
        self.maxPages = max(1, maxPages)
    }

    /// The current billing cycle's invoice, with its line items so far.
    public func pendingInvoice() async throws(AzureError) -> AtlasInvoice {
        try await get(AtlasInvoice.self, path: "invoices/pending")
    }

    /// One invoice, with its line items.
    public func invoice(id: String) async throws(AzureError) -> AtlasInvoice {
        try await get(AtlasInvoice.self, path: "invoices/\(FormEncoding.escape(id))")
    }

    /// Every invoice of the organisation (closed ones and the pending one),
    /// as Atlas lists them: without line items. Follows the pages until
    /// Atlas gives no `next` link and `totalCount` is reached.
    public func invoices() async throws(AzureError) -> [AtlasInvoice] {
        var all: [AtlasInvoice] = []
        var seen = Set<String>()
        for pageNumber in 1...maxPages {
            let page = try await get(
                AtlasPage<AtlasInvoice>.self,
                path: "invoices", query: "pageNum=\(pageNumber)&itemsPerPage=\(pageSize)")
            for invoice in page.results where seen.insert(invoice.id).inserted { all.append(invoice) }
            let expectsMore = page.hasNext || (page.links == nil && (page.totalCount.map { all.count < $0 } ?? false))
            if page.results.isEmpty || !expectsMore { return all }
        }
        throw .paging(service: Self.service, detail: "the invoice list did not end after \(maxPages) pages of \(pageSize)")
    }

    /// `{base}/api/atlas/v2/orgs/{orgId}/{path}`.
    func url(_ path: String, query: String? = nil) -> String {
        "\(baseURL)/api/atlas/v2/orgs/\(FormEncoding.escape(orgID))/\(path)" + (query.map { "?\($0)" } ?? "")
    }

    private func get<T: Decodable>(_ type: T.Type, path: String, query: String? = nil) async throws(AzureError) -> T {
        var request = HTTPRequest(
            method: .get, url: url(path, query: query), headers: ["Accept": Self.acceptHeader],
            timeout: timeout)
        request.authentication = .digest(user: publicKey, password: privateKey.reveal())
        let response = try await transport.send(request, for: Self.service)
        let endpoint = request.endpoint
        switch response.status {
        case 200:
            do {
                return try JSONDecoder().decode(T.self, from: response.body)
            } catch {
                throw .malformedResponse(
                    service: Self.service, endpoint: endpoint, status: 200,
                    detail: DecodingProblem.describe(error), excerpt: AzureError.excerpt(response.body))
            }
        case 429:
            // Atlas counts requests per minute: a minute is the safe default.
            throw .throttled(service: Self.service, endpoint: endpoint, retryAfter: RetryAfter.wait(from: response.headers) ?? .seconds(60))
        default:
            let body = AtlasErrorBody.decode(response.body)
            var message = body?.detail ?? (response.body.isEmpty ? nil : AzureError.excerpt(response.body))
            let remedy = response.status == 401 ? Self.authenticationRemedy : response.status == 403 ? Self.forbiddenRemedy : nil
            if let remedy {
                message = [message.map(AtlasErrorBody.withoutFinalStop), remedy].compactMap { $0 }.joined(separator: "; ")
            }
            throw .http(
                service: Self.service, endpoint: endpoint, status: response.status,
                code: body?.errorCode ?? body?.reason, message: message)
        }
    }
}

/// Atlas's error body: {"detail", "error" (the status), "errorCode", "parameters", "reason"}.
struct AtlasErrorBody: Decodable {
    var detail: String?
    var error: Int?
    var errorCode: String?
    var reason: String?

    static func decode(_ body: [UInt8]) -> AtlasErrorBody? {
        guard let parsed = try? JSONDecoder().decode(AtlasErrorBody.self, from: body),
            parsed.detail != nil || parsed.errorCode != nil || parsed.reason != nil
        else { return nil }
        return parsed
    }

    static func withoutFinalStop(_ text: String) -> String {
        text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
