import Foundation
import QLPCore
import QLPHTTP

/// Tokens from the machine's managed identity, through the Instance Metadata
/// Service (how-to-use-vm-token.md): GET
/// {endpoint}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=...
/// with `Metadata: true`. The answer's numbers are strings; the expiry is
/// `expires_on` (epoch seconds).
///
/// When nothing answers at the endpoint the machine has no managed identity:
/// that is `.credentialUnavailable` (as the Azure SDKs treat it, so another
/// credential can be tried). A refusal from IMDS is `.authentication` with
/// what to do. 404, 410, 429 and 5xx are retried after `retryDelays`, as the
/// documentation recommends (410: IMDS is updating, back within 70 s).
public struct ManagedIdentityCredential: TokenSource {
    public static let defaultEndpoint = "http://169.254.169.254"

    public var endpoint: String
    /// A user-assigned identity's client ID; nil for the system-assigned one.
    public var clientID: String?
    public var transport: any HTTPTransport
    public var timeout: Duration
    public var retryDelays: [Duration]
    public var clock: @Sendable () -> Date

    static let service = "Managed identity (IMDS)"

    public init(
        endpoint: String = ManagedIdentityCredential.defaultEndpoint, clientID: String? = nil,
        transport: any HTTPTransport, timeout: Duration = .seconds(10),
        retryDelays: [Duration] = [.seconds(2), .seconds(6), .seconds(14)],
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = BearerJSONCall.trimmed(endpoint)
        self.clientID = clientID.flatMap { $0.isEmpty ? nil : $0 }
        self.transport = transport
        self.timeout = timeout
        self.retryDelays = retryDelays
        self.clock = clock
    }

    public var origin: String? { "IMDS at \(endpoint)" }

    /// IMDS takes a resource, not a scope: "https://vault.azure.net/.default" -> "https://vault.azure.net".
    static func resource(for scope: String) -> String {
        scope.hasSuffix("/.default") ? String(scope.dropLast("/.default".count)) : scope
    }

    public func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        var pairs = [("api-version", "2018-02-01"), ("resource", Self.resource(for: scope))]
        if let clientID { pairs.append(("client_id", clientID)) }
        let request = HTTPRequest(
            method: .get, url: "\(endpoint)/metadata/identity/oauth2/token?\(FormEncoding.encode(pairs))",
            headers: ["Metadata": "true", "Accept": "application/json"], timeout: timeout,
            connectTimeout: min(timeout, .seconds(3)))
        var retry = TokenRequestRetry.imds(delays: retryDelays)
        while true {
            let response: HTTPResponse
            do {
                response = try await transport.send(AzureRequestTrace.tagged(request))
            } catch let error as HTTPTransportError {
                switch error {
                case .connectionFailed, .timedOut:
                    throw .credentialUnavailable(
                        detail: "no managed identity on this machine: nothing answered at \(request.endpoint) (\(error)); "
                            + "run qlp on an Azure VM, VM scale set or AKS pod with a managed identity, or use another credential")
                default:
                    throw .transport(service: Self.service, error)
                }
            } catch {
                throw .transport(
                    service: Self.service, .transferFailed(endpoint: request.endpoint, breakage: .other(curlCode: nil), detail: "\(error)"))
            }
            let requestedAt = clock()
            if response.status == 200 {
                do {
                    return try AzureWireDecoding.accessToken(response.body, receivedAt: requestedAt)
                } catch {
                    throw .malformedResponse(
                        service: Self.service, endpoint: request.endpoint, status: 200,
                        detail: "expected access_token and expires_on (or expires_in)", excerpt: "")
                }
            }
            if case .retry(let wait) = retry.next(status: response.status, asked: RetryAfter.wait(from: response.headers)) {
                do { try await Task.sleep(for: wait) } catch {
                    throw .transport(service: Self.service, .cancelled(endpoint: request.endpoint))
                }
                continue
            }
            let attempt = retry.retries
            let body = AzureWireDecoding.tokenError(response.body)
            let (said, remedy) = Self.explain(
                status: response.status, error: body?.error, description: body?.description,
                clientID: clientID, retried: attempt)
            throw .authentication(
                AuthenticationFailure(
                    endpoint: request.endpoint, status: response.status, code: body?.codes.first, error: "managed_identity",
                    message: said, specificRemedy: remedy,
                    requestID: AzureRequestTrace.requestID(of: response)))
        }
    }

    /// IMDS's description with what to do about it.
    static func explain(status: Int, error: String?, description: String?, clientID: String?, retried: Int) -> (
        said: String, remedy: String
    ) {
        let said = description?.split(whereSeparator: \.isNewline).first.map(String.init) ?? error ?? "HTTP \(status)"
        let remedy: String
        if said.localizedCaseInsensitiveContains("identity not found") {
            remedy =
                clientID.map { "no managed identity with client ID \($0) is assigned to this machine: assign it, or fix the client ID" }
                ?? "this machine has no system-assigned managed identity: enable one, or give a user-assigned identity's client ID"
        } else if said.localizedCaseInsensitiveContains("metadata header") {
            remedy = "the Metadata: true header did not reach IMDS (a proxy may strip it): call IMDS directly, without a proxy"
        } else if status == 404 || status == 410 || status == 429 || status >= 500 {
            remedy = "IMDS is unavailable or updating (still HTTP \(status) after \(retried) retries): try again in a minute"
        } else if error == "invalid_resource" {
            remedy = "the token's resource is not valid: check the endpoints in the azure section of the config"
        } else {
            remedy = "check the machine's managed identity and its role assignments"
        }
        return (said, remedy)
    }
}

/// A token answer: Entra ID's {"expires_in": 3599} or IMDS's strings with
/// "expires_on" (epoch seconds, preferred when present).
struct TokenAnswerBody: Decodable {
    var accessToken: String
    var expiresIn: FlexibleInt?
    var expiresOn: FlexibleInt?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
        case expiresOn = "expires_on"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try c.decode(String.self, forKey: .accessToken)
        expiresIn = try? c.decodeIfPresent(FlexibleInt.self, forKey: .expiresIn)
        expiresOn = try? c.decodeIfPresent(FlexibleInt.self, forKey: .expiresOn)  // App Service sends a date text here
    }
}

/// {"error", "error_description", "error_codes"?}: Entra ID and IMDS alike.
struct TokenErrorAnswerBody: Decodable {
    var error: String?
    var errorDescription: String?
    var errorCodes: [Int]?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case errorCodes = "error_codes"
    }
}

extension AzureWireDecoding {
    public struct TokenAnswerError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The token in an Entra ID or IMDS answer and when it expires.
    public static func accessToken(_ body: [UInt8], receivedAt: Date) throws -> AccessToken {
        let answer = try JSONDecoder().decode(TokenAnswerBody.self, from: body)
        // expires_on is absolute and immune to the time the answer took; far-off values are not epoch seconds.
        if let on = answer.expiresOn?.seconds, on > 1_000_000_000 {
            return AccessToken(token: Secret(answer.accessToken), expiresOn: Date(timeIntervalSince1970: TimeInterval(on)))
        }
        guard let lifetime = answer.expiresIn?.seconds else {
            throw TokenAnswerError(description: "the token answer has neither expires_on nor expires_in")
        }
        return AccessToken(token: Secret(answer.accessToken), expiresOn: receivedAt.addingTimeInterval(TimeInterval(lifetime)))
    }

    /// The error of an Entra ID or IMDS token answer; nil if the body is not one.
    public static func tokenError(_ body: [UInt8]) -> (error: String?, description: String?, codes: [Int])? {
        guard let e = try? JSONDecoder().decode(TokenErrorAnswerBody.self, from: body), e.error != nil || e.errorDescription != nil else {
            return nil
        }
        var codes = e.errorCodes ?? []
        if codes.isEmpty, let d = e.errorDescription, let r = d.range(of: "AADSTS"), let n = Int(d[r.upperBound...].prefix { $0.isNumber })
        {
            codes = [n]
        }
        return (e.error, e.errorDescription, codes)
    }
}
