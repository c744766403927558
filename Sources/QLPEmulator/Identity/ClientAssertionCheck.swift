import Foundation

/// Entra ID's checks of a client assertion, as far as the emulator can make
/// them honestly:
/// - a JWT naming a certificate (`x5t`) must be signed RS256 by the
///   registered certificate's key, name this token endpoint as `aud`, the
///   client as `iss` and `sub`, and be within its `nbf`..`exp`;
/// - anything else is a federated (workload identity) token, accepted only
///   when it is exactly the content of `federatedTokenFile` now.
struct ClientAssertionCheck {
    let configuration: EmulatorConfiguration
    /// The token endpoint's URL as the client reached it.
    let audience: String

    /// Clock skew Entra ID allows.
    static let skew: TimeInterval = 300

    func refusal(_ assertion: String, clientID: String) -> EmulatedResponse? {
        if let jwt = JWTParts(assertion), jwt.header["x5t"] != nil {
            return certificateRefusal(jwt, clientID: clientID)
        }
        return federatedRefusal(assertion)
    }

    private func certificateRefusal(_ jwt: JWTParts, clientID: String) -> EmulatedResponse? {
        guard jwt.header["alg"] as? String == "RS256" else {
            return EmulatorReply.entraError(
                error: "invalid_client", code: 5_002_738,
                description: "Invalid JWT token. 'alg' must be RS256 for a certificate credential.")
        }
        guard let certificate = configuration.trustedCertificate, jwt.header["x5t"] as? String == certificate.thumbprint else {
            return EmulatorReply.entraError(
                error: "invalid_client", code: 700027,
                description: "Client assertion failed signature validation. The key was not found: "
                    + "no certificate with this thumbprint is registered on the application.", status: 401)
        }
        guard certificate.verifies(jwt.signature, over: jwt.signingInput) else {
            return EmulatorReply.entraError(
                error: "invalid_client", code: 700027,
                description: "Client assertion failed signature validation.", status: 401)
        }
        guard jwt.string("aud")?.caseInsensitiveCompare(audience) == .orderedSame else {
            return EmulatorReply.entraError(
                error: "invalid_client", code: 700212,
                description: "No matching federated identity record found for presented assertion audience '\(jwt.string("aud") ?? "")'.",
                status: 401)
        }
        guard jwt.string("iss") == clientID, jwt.string("sub") == clientID else {
            return EmulatorReply.entraError(
                error: "invalid_client", code: 700023,
                description: "Client assertion audience claim does not match Realm issuer: iss and sub must be the client ID.",
                status: 401)
        }
        let now = configuration.clock().timeIntervalSince1970
        guard let exp = jwt.number("exp"), let nbf = jwt.number("nbf"), nbf - Self.skew <= now, now < exp + Self.skew else {
            return EmulatorReply.entraError(
                error: "invalid_client", code: 700024,
                description: "Client assertion is not within its valid time range.", status: 401)
        }
        return nil
    }

    private func federatedRefusal(_ assertion: String) -> EmulatedResponse? {
        let expected = configuration.federatedTokenFile
            .flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let expected, !expected.isEmpty, assertion == expected else {
            return EmulatorReply.entraError(
                error: "invalid_client", code: 70021,
                description: "No matching federated identity record found for presented assertion. "
                    + "Check the issuer and subject of the federated credential.", status: 401)
        }
        return nil
    }
}
