import Foundation
import QLPCore

/// Resolves `keyvault://vault/secret[/version]` values in the config's secret
/// fields through the Key Vault data plane, with the Azure credential qlp
/// already has. (The config parser has already refused references in fields
/// Key Vault cannot supply, and malformed ones.)
public struct SecretReferences: Sendable {
    public var client: KeyVaultClient
    /// Where each named vault lives (azure.endpoints.key_vault).
    public var endpoints: AzureEndpoints

    public init(client: KeyVaultClient, endpoints: AzureEndpoints) {
        self.client = client
        self.endpoints = endpoints
    }

    /// One resolved (or failed) field, for doctor's table.
    public struct Outcome: Sendable {
        public var field: String
        public var reference: String
        public var failure: Failure?
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// Only reachable for a configuration built in code: the parser refuses these with a line number.
        case invalidReference(KeyVaultReferenceError)
        case vault(AzureError)

        public var description: String {
            switch self {
            case .invalidReference(let error): error.description
            case .vault(let error): error.description
            }
        }
    }

    /// The config fields that may hold a reference, with their dotted names.
    public static func references(in configuration: QLPConfiguration) -> [(field: String, reference: String)] {
        var found: [(String, String)] = []
        func look(_ field: String, _ secret: Secret?) {
            if let text = secret?.reveal(), KeyVaultReference.isReference(text) { found.append((field, text)) }
        }
        look("azure_openai.api_key", configuration.azureOpenAI?.apiKey)
        look("mongodb_atlas.connection_string", configuration.mongodbAtlas?.connectionString)
        look("mongodb_atlas.admin_api.private_key", configuration.mongodbAtlas?.adminAPI?.privateKey)
        look("fleet.redis_password", configuration.fleet?.redisPassword)
        for (index, sink) in configuration.notifications.sinks.enumerated() {
            if case .email(let email) = sink.destination { look(Self.sinkPasswordField(index), email.password) }
        }
        return found
    }

    /// An email sink's SMTP password, named as config errors name it.
    static func sinkPasswordField(_ index: Int) -> String { "notifications.sinks.[\(index)].password" }

    /// The config with every reference replaced by the secret's value.
    public func resolve(_ configuration: QLPConfiguration) async -> (QLPConfiguration, [Outcome]) {
        var resolved = configuration
        var outcomes: [Outcome] = []
        for (field, text) in Self.references(in: configuration) {
            let reference: KeyVaultReference
            do {
                reference = try KeyVaultReference.parse(text)
            } catch {
                outcomes.append(Outcome(field: field, reference: text, failure: .invalidReference(error)))
                continue
            }
            do {
                let value = try await client.secret(reference, endpoints: endpoints).value
                switch field {
                case "azure_openai.api_key": resolved.azureOpenAI?.apiKey = value
                case "mongodb_atlas.connection_string": resolved.mongodbAtlas?.connectionString = value
                case "mongodb_atlas.admin_api.private_key": resolved.mongodbAtlas?.adminAPI?.privateKey = value
                case "fleet.redis_password": resolved.fleet?.redisPassword = value
                default:
                    for (index, sink) in resolved.notifications.sinks.enumerated() where field == Self.sinkPasswordField(index) {
                        guard case .email(var email) = sink.destination else { continue }
                        email.password = value
                        resolved.notifications.sinks[index].destination = .email(email)
                    }
                }
                outcomes.append(Outcome(field: field, reference: text, failure: nil))
            } catch {
                outcomes.append(Outcome(field: field, reference: text, failure: .vault(error)))
            }
        }
        return (resolved, outcomes)
    }
}
