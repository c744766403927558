import QLPCore

/// The seed's `azure_openai`, `ollama` and `mongodb_atlas` sections, in their
/// original shapes.
enum ModelSectionsParser {
    static func azureOpenAI(_ section: ConfigValue, _ r: ConfigReader) -> AzureOpenAISettings? {
        guard let map = r.mapping(section, allowed: ["endpoint", "api_version", "api_key", "models", "deployment_names"])
        else { return nil }
        let endpoint = r.required(map, "endpoint").flatMap { AzureSectionParser.url($0, r) }
        let version = r.required(map, "api_version").flatMap(r.nonEmptyString)
        let key = r.optional(map, "api_key").flatMap(r.secret).flatMap { $0.isEmpty ? nil : $0 }
        let models = r.optional(map, "models").flatMap(r.stringMap) ?? [:]
        let deployments = r.optional(map, "deployment_names").flatMap(r.stringMap) ?? [:]
        guard let endpoint, let version else { return nil }
        return AzureOpenAISettings(endpoint: endpoint, apiVersion: version, models: models,
                                   deploymentNames: deployments, apiKey: key)
    }

    static func ollama(_ section: ConfigValue, _ r: ConfigReader) -> OllamaSettings? {
        guard let map = r.mapping(section, allowed: ["endpoint", "models", "vpn_connection", "fallback_to_azure"])
        else { return nil }
        let endpoint = r.required(map, "endpoint").flatMap { AzureSectionParser.url($0, r) }
        let models = r.optional(map, "models").flatMap(r.stringList) ?? []
        let vpn = r.optional(map, "vpn_connection").flatMap { r.string($0) }
        let fallback = r.optional(map, "fallback_to_azure").flatMap(r.bool) ?? false
        guard let endpoint else { return nil }
        return OllamaSettings(endpoint: endpoint, models: models, vpnConnection: vpn, fallbackToAzure: fallback)
    }

    static func atlas(_ section: ConfigValue, _ r: ConfigReader) -> MongoDBAtlasSettings? {
        guard let map = r.mapping(section, allowed: ["connection_string", "databases", "collections"]) else { return nil }
        let connection = r.optional(map, "connection_string").flatMap(r.secret).flatMap { $0.isEmpty ? nil : $0 }
        let databases = r.optional(map, "databases").flatMap(r.stringMap) ?? [:]
        let collections = r.optional(map, "collections").flatMap(r.stringMap) ?? [:]
        return MongoDBAtlasSettings(connectionString: connection, databases: databases, collections: collections)
    }
}
