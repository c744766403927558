import Foundation
import QLPCore
import QLPHTTP

/// What makes a request to Azure traceable from both ends: qlp's name and
/// version in User-Agent, and a new `x-ms-client-request-id` for every
/// request sent; Azure answers with its own `x-ms-request-id`, which errors
/// quote so that a support ticket can name the exact request.
public enum AzureRequestTrace {
    public static let clientRequestIDHeader = "x-ms-client-request-id"
    public static let requestIDHeader = "x-ms-request-id"

    /// `request` with qlp's User-Agent (unless it has one) and a fresh client request ID.
    public static func tagged(_ request: HTTPRequest) -> HTTPRequest {
        var request = request
        if !request.headers.contains(name: "User-Agent") { request.headers.add(name: "User-Agent", value: QLPVersion.userAgent) }
        request.headers.replaceOrAdd(name: clientRequestIDHeader, value: UUID().uuidString.lowercased())
        return request
    }

    /// The ID Azure gave the request it answered, if it sent one.
    public static func requestID(of response: HTTPResponse) -> String? {
        response.headers[requestIDHeader].flatMap { $0.isEmpty ? nil : $0 }
    }
}
