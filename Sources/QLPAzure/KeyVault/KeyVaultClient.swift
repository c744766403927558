import Foundation
import QLPCore
import QLPHTTP

/// A secret read from Key Vault. The value is a `Secret`: it prints as
/// <redacted> everywhere, so it cannot reach a log line, an error or the screen.
public struct KeyVaultSecret: Sendable, Equatable, Decodable, CustomStringConvertible {
    public var value: Secret
    /// https://{vault}.vault.azure.net/secrets/{name}/{version}
    public var id: String
    public var enabled: Bool?
    public var created: Date?
    public var updated: Date?
    public var expires: Date?
    public var recoveryLevel: String?
    public var contentType: String?

    /// The secret's name, from its id.
    public var name: String? { Self.idParts(id)?.name }
    /// The version the vault returned, from its id.
    public var version: String? { Self.idParts(id)?.version }

    public var description: String { "Key Vault secret \(id)" }

    struct Attributes: Decodable {
        var enabled: Bool?
        var created: Int64?
        var updated: Int64?
        var exp: Int64?
        var recoveryLevel: String?
    }

    enum CodingKeys: String, CodingKey { case value, id, attributes, contentType }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Decoding errors name paths and types, never the text of the value.
        value = Secret(try c.decode(String.self, forKey: .value))
        id = try c.decode(String.self, forKey: .id)
        contentType = try c.decodeIfPresent(String.self, forKey: .contentType)
        let attributes = try c.decodeIfPresent(Attributes.self, forKey: .attributes)
        enabled = attributes?.enabled
        created = attributes?.created.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        updated = attributes?.updated.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        expires = attributes?.exp.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        recoveryLevel = attributes?.recoveryLevel
    }

    static func idParts(_ id: String) -> (name: String, version: String?)? {
        let parts = id.split(separator: "/").map(String.init)
        guard let i = parts.firstIndex(of: "secrets"), i + 1 < parts.count else { return nil }
        return (parts[i + 1], i + 2 < parts.count ? parts[i + 2] : nil)
    }
}

/// Reads secrets from Key Vault (GET {vault}/secrets/{name}[/{version}]?api-version=7.4).
/// Errors name the vault and the secret, never its value: a malformed answer
/// is reported without quoting the body, because the body is the secret.
public struct KeyVaultClient: Sendable {
    public var transport: any HTTPTransport
    public var tokens: TokenCache
    public var apiVersion: String
    public var timeout: Duration

    public static let scope = "https://vault.azure.net/.default"
    static let service = "Key Vault"

    public init(transport: any HTTPTransport, tokens: TokenCache, apiVersion: String = "7.4", timeout: Duration = .seconds(30)) {
        self.transport = transport
        self.tokens = tokens
        self.apiVersion = apiVersion
        self.timeout = timeout
    }

    /// The secret a `keyvault://` reference names, in the cloud `endpoints` describe.
    public func secret(_ reference: KeyVaultReference, endpoints: AzureEndpoints = .publicCloud) async throws(AzureError) -> KeyVaultSecret
    {
        try await secret(name: reference.name, version: reference.version, vaultURL: reference.vaultURL(in: endpoints))
    }

    /// The current (or a given) version of secret `name` in the vault at `vaultURL`.
    public func secret(name: String, version: String? = nil, vaultURL: String) async throws(AzureError) -> KeyVaultSecret {
        let vault = BearerJSONCall.trimmed(vaultURL)
        let call = BearerJSONCall(
            transport: transport, tokens: tokens, scope: Self.scope, service: Self.service, timeout: timeout,
            quoteSuccessBodies: false)
        let path = "secrets/\(FormEncoding.escape(name))" + (version.map { "/\(FormEncoding.escape($0))" } ?? "")
        do {
            return try await call.get(KeyVaultSecret.self, url: "\(vault)/\(path)?api-version=\(FormEncoding.escape(apiVersion))")
        } catch {
            // The endpoint in every error is {vault}/secrets/{name}: it says which secret, and nothing more.
            if case .malformedResponse(let service, let endpoint, let status, let detail, _) = error {
                throw .malformedResponse(
                    service: service, endpoint: endpoint, status: status,
                    detail: "the secret '\(name)' could not be read from the answer (\(detail))", excerpt: "")
            }
            throw error
        }
    }
}

extension AzureWireDecoding {
    public static func keyVaultSecret(_ body: [UInt8]) throws -> KeyVaultSecret {
        try JSONDecoder().decode(KeyVaultSecret.self, from: body)
    }
}
