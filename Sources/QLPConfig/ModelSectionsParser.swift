import Foundation
import QLPCore

/// The seed's `azure_openai`, `ollama` and `mongodb_atlas` sections, in their
/// original shapes.
enum ModelSectionsParser {
    static let azureOpenAIKeys = ["endpoint", "api_version", "api_key", "auth", "models", "deployment_names"]
    static let ollamaKeys = ["endpoint", "models", "vpn_connection", "fallback_to_azure"]
    static let atlasKeys = ["connection_string", "databases", "collections", "admin_api"]
    static let atlasAdminAPIKeys = ["org_id", "public_key", "private_key", "base_url"]

    static func azureOpenAI(_ section: ConfigValue, _ r: ConfigReader) -> AzureOpenAISettings? {
        guard let map = r.mapping(section, allowed: azureOpenAIKeys)
        else { return nil }
        let endpoint = r.required(map, "endpoint").flatMap { r.endpoint($0, .azureOpenAI) }
        let version = r.required(map, "api_version").flatMap(r.nonEmptyString)
        let key = r.optional(map, "api_key").flatMap(r.secretOrVaultReference).flatMap { $0.isEmpty ? nil : $0 }
        var auth: AzureOpenAIAuth? = .apiKey
        if let value = r.optional(map, "auth"), let word = r.string(value) {
            auth = AzureOpenAIAuth(rawValue: word)
            if auth == nil {
                r.fail(value, "expected api_key or entra, found '\(word)'")
            } else if auth == .entra, key != nil {
                // Sending both would hide which one the resource accepted.
                r.fail(value, "auth: entra sends an Entra ID token, never api_key: remove api_key, or use auth: api_key")
                auth = nil
            }
        }
        let models = r.optional(map, "models").flatMap(r.stringMap) ?? [:]
        let deployments = r.optional(map, "deployment_names").flatMap(r.stringMap) ?? [:]
        guard let endpoint, let version, let auth else { return nil }
        return AzureOpenAISettings(
            endpoint: endpoint, apiVersion: version, models: models,
            deploymentNames: deployments, apiKey: key, auth: auth)
    }

    static func ollama(_ section: ConfigValue, _ r: ConfigReader) -> OllamaSettings? {
        guard let map = r.mapping(section, allowed: ollamaKeys)
        else { return nil }
        let endpoint = r.required(map, "endpoint").flatMap { r.endpoint($0, .ollama) }
        let models = r.optional(map, "models").flatMap(r.stringList) ?? []
        let vpn = r.optional(map, "vpn_connection").flatMap { r.string($0) }
        let fallback = r.optional(map, "fallback_to_azure").flatMap(r.bool) ?? false
        guard let endpoint else { return nil }
        return OllamaSettings(endpoint: endpoint, models: models, vpnConnection: vpn, fallbackToAzure: fallback)
    }

    static func atlas(_ section: ConfigValue, _ r: ConfigReader) -> MongoDBAtlasSettings? {
        guard let map = r.mapping(section, allowed: atlasKeys) else { return nil }
        let connection = r.optional(map, "connection_string").flatMap(r.secretOrVaultReference).flatMap { $0.isEmpty ? nil : $0 }
        let databases = r.optional(map, "databases").flatMap(r.stringMap) ?? [:]
        let collections = r.optional(map, "collections").flatMap(r.stringMap) ?? [:]
        let adminAPI = r.optional(map, "admin_api").flatMap { atlasAdminAPI($0, r) }
        return MongoDBAtlasSettings(
            connectionString: connection, databases: databases, collections: collections,
            adminAPI: adminAPI)
    }

    /// `admin_api`: org_id, public_key and private_key are all required once
    /// the mapping is present. If all three come out empty (`${VAR:-}` with
    /// nothing set) the key is simply not configured; if only some do, the
    /// empty ones are errors.
    static func atlasAdminAPI(_ section: ConfigValue, _ r: ConfigReader) -> AtlasAdminAPISettings? {
        guard let map = r.mapping(section, allowed: atlasAdminAPIKeys) else { return nil }
        let orgValue = r.required(map, "org_id")
        let publicValue = r.required(map, "public_key")
        let privateValue = r.required(map, "private_key")
        let org = orgValue.flatMap { r.string($0) }.map { $0.trimmingCharacters(in: .whitespaces) }
        let publicKey = publicValue.flatMap { r.string($0) }.map { $0.trimmingCharacters(in: .whitespaces) }
        let privateKey = privateValue.flatMap(r.secretOrVaultReference)
        let base = r.optional(map, "base_url").flatMap { r.endpoint($0, .atlasAdminAPI) } ?? AtlasAdminAPISettings.defaultBaseURL
        guard let orgValue, let publicValue, let privateValue, let org, let publicKey, let privateKey else { return nil }
        let empty = [(orgValue, org.isEmpty), (publicValue, publicKey.isEmpty), (privateValue, privateKey.isEmpty)]
        if empty.allSatisfy(\.1) { return nil }
        for (value, isEmpty) in empty where isEmpty {
            r.fail(value, "must not be empty when the other admin_api keys are set")
        }
        guard empty.allSatisfy({ !$0.1 }) else { return nil }
        return AtlasAdminAPISettings(orgID: org, publicKey: publicKey, privateKey: privateKey, baseURL: base)
    }
}
