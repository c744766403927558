import Foundation
import QLPHTTP

/// Everything that can go wrong talking to Azure, each case carrying what a
/// person needs to act: which endpoint, what status, what Azure said (an
/// excerpt of the body, never a token or secret).
public enum AzureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request never got an HTTP answer (timeout, refused, TLS...).
    case transport(service: String, HTTPTransportError)
    /// Azure answered with an error status; `requestID` is the
    /// `x-ms-request-id` it gave the request, for a support ticket.
    case http(service: String, endpoint: String, status: Int, code: String?, message: String?, requestID: String? = nil)
    /// 429, or a request qlp held back: wait at least `retryAfter` (at most an
    /// hour) before asking again; `reason` says whether the service asked or
    /// qlp's own per-minute budget is spent.
    case throttled(service: String, endpoint: String, retryAfter: Duration, reason: HoldReason = .serviceAsked(header: nil))
    /// A hold qlp was waiting out would go past the limit on waiting (a
    /// report's --max-wait): the hold, who asked, and the limit.
    case gaveUpWaiting(ThrottleWait)
    /// The body was not what the API documents (truncated, not JSON, missing fields).
    case malformedResponse(service: String, endpoint: String, status: Int, detail: String, excerpt: String)
    /// Entra ID refused to issue a token.
    case authentication(AuthenticationFailure)
    /// No credential is configured or the environment lacks it.
    case credentialUnavailable(detail: String)
    /// A nextLink pointed somewhere a token must not be sent, or paging never ended.
    case paging(service: String, detail: String)

    public var description: String {
        switch self {
        case .transport(let service, let error):
            "\(service): \(error)"
        case .http(let service, let endpoint, let status, let code, let message, let requestID):
            "\(service) (\(endpoint)) answered HTTP \(status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
                + Self.trace(requestID)
        case .throttled(let service, let endpoint, let retryAfter, .serviceAsked(let header)):
            "\(service) (\(endpoint)) is throttling requests; retry after \(Self.seconds(retryAfter)) s" + (header.map { " (\($0))" } ?? "")
        case .throttled(let service, let endpoint, let retryAfter, let reason):
            "\(service) (\(endpoint)) not asked: \(reason.words(service: service)); next request in \(Self.seconds(retryAfter)) s"
        case .gaveUpWaiting(let hold):
            "\(hold.service) (\(hold.endpoint)): \(hold.givingUpWords)"
        case .malformedResponse(let service, let endpoint, let status, let detail, let excerpt):
            "\(service) (\(endpoint)) sent a malformed response (HTTP \(status)): \(detail)"
                + (excerpt.isEmpty ? "" : "; body starts: \(excerpt)")
        case .authentication(let failure):
            failure.description
        case .credentialUnavailable(let detail):
            "no Azure credential: \(detail)"
        case .paging(let service, let detail):
            "\(service): \(detail)"
        }
    }

    /// The wait a throttle asked for (the service's Retry-After, or qlp's own
    /// request budget); nil for every other failure.
    public var retryAfter: Duration? {
        if case .throttled(_, _, let wait, _) = self { return wait }
        return nil
    }

    /// A few words for a panel's status line: "HTTP 500", "timed out after 30 s".
    public var summary: String {
        switch self {
        case .transport(_, let error): error.summary
        case .http(_, _, let status, let code, _, _): "HTTP \(status)" + (code.map { " \($0)" } ?? "")
        case .throttled(_, _, let retryAfter, .serviceAsked): "throttled for \(Self.seconds(retryAfter)) s"
        case .throttled(_, _, let retryAfter, .ownBudget): "qlp's budget spent, next in \(Self.seconds(retryAfter)) s"
        case .gaveUpWaiting(let hold): "a \(ThrottleWait.text(hold.wait)) wait is past \(hold.limitName)"
        case .malformedResponse: "malformed response"
        case .authentication(let failure): "sign-in failed" + (failure.code.map { " (AADSTS\($0))" } ?? "")
        case .credentialUnavailable: "no credential"
        case .paging: "paging error"
        }
    }

    /// How a message quotes Azure's ID of the request: support looks it up.
    static func trace(_ requestID: String?) -> String {
        requestID.map { " (x-ms-request-id \($0))" } ?? ""
    }

    /// Whole seconds of a wait, rounded up: a wait of 0.4 s is not "0 s".
    static func seconds(_ wait: Duration) -> Int64 {
        wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0)
    }

    /// A short, safe excerpt of a response body for messages: at most 160
    /// characters, control characters removed.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
        let clean = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        let squeezed = clean.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return squeezed.count > 160 ? String(squeezed.prefix(160)) + "…" : squeezed
    }
}

/// Entra ID's refusal, with its AADSTS code and what to do about it.
public struct AuthenticationFailure: Sendable, Equatable, CustomStringConvertible {
    public var endpoint: String
    public var status: Int
    /// The AADSTS number, e.g. 7000215.
    public var code: Int?
    /// Entra's `error`, e.g. invalid_client.
    public var error: String?
    /// The first line of Entra's description (no trace ids).
    public var message: String?
    /// Set by sources whose failures the service-principal remedies do not
    /// fit (managed identity, the Azure CLI).
    public var specificRemedy: String?
    /// The credential that asked ("workload identity", "certificate"...); nil: the client secret.
    public var credential: String?
    /// The `x-ms-request-id` of the refusal, when Entra ID or the endpoint sent one.
    public var requestID: String?

    public init(
        endpoint: String, status: Int, code: Int?, error: String?, message: String?, specificRemedy: String? = nil,
        credential: String? = nil, requestID: String? = nil
    ) {
        self.endpoint = endpoint
        self.status = status
        self.code = code
        self.error = error
        self.message = message
        self.specificRemedy = specificRemedy
        self.credential = credential
        self.requestID = requestID
    }

    public var remedy: String {
        if let specificRemedy { return specificRemedy }
        return switch code {
        case 70021, 700211, 700213:
            "Entra ID found no federated credential matching the token's issuer and subject: add one to the app registration "
                + "(or managed identity) for this cluster's OIDC issuer and the pod's service account"
        case 700024: "the client assertion is outside its validity time: check the machine's clock (or the token file is stale)"
        case 700027:
            "the certificate's signature was not accepted: upload this certificate to the app registration "
                + "(Certificates & secrets), or point AZURE_CLIENT_CERTIFICATE_PATH at the registered one"
        case 7_000_215: "the client secret is wrong: set AZURE_CLIENT_SECRET to the secret's value (not its ID)"
        case 7_000_222: "the client secret has expired: create a new one for the app registration"
        case 700016: "the application was not found in this tenant: check AZURE_CLIENT_ID and AZURE_TENANT_ID"
        case 90002: "the tenant was not found: check AZURE_TENANT_ID"
        case 70011: "the token scope is not valid: check the endpoints in the azure section of the config"
        case 50196: "Entra ID is temporarily unavailable: qlp will retry"
        default: "check the service principal's tenant, client ID and secret"
        }
    }

    public var description: String {
        (credential.map { "\($0): " } ?? "")
            + (error == "managed_identity"
                ? "the managed identity endpoint refused a token (\(endpoint), HTTP \(status)"
                : error == "azure_cli"
                    ? "the Azure CLI could not get a token (\(endpoint)"
                    : "Entra ID refused a token (\(endpoint), HTTP \(status)")
            + (code.map { ", AADSTS\($0)" } ?? "") + ")"
            + (message.map { ": \($0)" } ?? "") + "; \(remedy)" + AzureError.trace(requestID)
    }
}
