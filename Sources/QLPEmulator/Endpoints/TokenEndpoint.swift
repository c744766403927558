import Foundation
import Hummingbird
import QLPCore
import Synchronization

/// Tokens the emulator issued and when they expire.
final class IssuedTokens: Sendable {
    private let tokens = Mutex<[String: Date]>([:])

    func issue(lifetime: Duration, now: Date) -> String {
        var bytes = [UInt8](repeating: 0, count: 24)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let token = "emu." + bytes.map { String(format: "%02x", $0) }.joined()
        let expiry = now.addingTimeInterval(Double(lifetime.components.seconds))
        tokens.withLock { table in
            table = table.filter { $0.value > now }  // keep the table small
            table[token] = expiry
        }
        return token
    }

    enum Check { case valid, unknown, expired }

    func check(_ token: String, now: Date) -> Check {
        guard let expiry = tokens.withLock({ $0[token] }) else { return .unknown }
        return expiry > now ? .valid : .expired
    }
}

/// POST /{tenant}/oauth2/v2.0/token — Entra ID's client-credentials grant.
struct TokenEndpoint: Sendable {
    let configuration: EmulatorConfiguration
    let tokens: IssuedTokens

    /// - Parameter audience: the URL the request came to, which a signed assertion's `aud` must name.
    func respond(tenant: String, form: [String: String], audience: String) -> EmulatedResponse {
        guard tenant == configuration.tenantID else {
            return EmulatorReply.entraError(
                error: "invalid_request", code: 90002,
                description: "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID.")
        }
        guard form["grant_type"] == "client_credentials" else {
            return EmulatorReply.entraError(
                error: "unsupported_grant_type", code: 70003,
                description: "The app requested an unsupported grant type.")
        }
        guard let scope = form["scope"], scope.hasSuffix("/.default") else {
            return EmulatorReply.entraError(
                error: "invalid_scope", code: 70011,
                description: "The provided value for the input parameter 'scope' is not valid.")
        }
        guard form["client_id"] == configuration.clientID else {
            return EmulatorReply.entraError(
                error: "unauthorized_client", code: 700016,
                description: "Application with identifier '\(form["client_id"] ?? "")' was not found in the directory.")
        }
        if let assertion = form["client_assertion"] {
            guard form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" else {
                return EmulatorReply.entraError(
                    error: "invalid_request", code: 50027,
                    description: "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.")
            }
            if let refused = ClientAssertionCheck(configuration: configuration, audience: audience)
                .refusal(assertion, clientID: configuration.clientID)
            {
                return refused
            }
        } else if form["client_secret"] != configuration.clientSecret {
            return EmulatorReply.entraError(
                error: "invalid_client", code: 7_000_215,
                description:
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."
            )
        }
        let lifetime = Int(configuration.tokenLifetime.components.seconds)
        let token = tokens.issue(lifetime: configuration.tokenLifetime, now: configuration.clock())
        return EmulatorReply.json(
            .object([
                ("token_type", .string("Bearer")),
                ("expires_in", .number(lifetime)),
                ("ext_expires_in", .number(lifetime)),
                ("access_token", .string(token)),
            ]))
    }

    /// Parses application/x-www-form-urlencoded.
    static func parseForm(_ body: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            func decode(_ s: String) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? s }
            form[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
        return form
    }
}
