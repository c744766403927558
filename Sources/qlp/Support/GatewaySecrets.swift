import Foundation
import QLPAzure
import QLPConfig
import QLPCore
import QLPHTTP

/// The secrets `qlp gateway` sends upstream (and to its alert sinks), with `keyvault://` references
/// resolved through Key Vault by the same resolver `qlp dash`, `qlp report`
/// and `qlp doctor` use (SecretReferences). The gateway needs the Azure
/// OpenAI key for every Azure request and probe, so a reference it cannot
/// resolve stops it at start: sent as it is, the reference would make every
/// Azure target answer 401.
enum GatewaySecrets {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `configuration` with its azure_openai references replaced by the
    /// secrets they name. The azure section (read only when there is a
    /// reference) supplies the credential and the vault's endpoint.
    static func resolve(
        _ configuration: QLPConfiguration, location: ConfigLocation,
        environment: [String: String]
    ) async throws(Failure) -> QLPConfiguration {
        // Only what the gateway uses: an Atlas key the vault cannot give costs the gateway nothing.
        var needed = configuration
        needed.mongodbAtlas = nil
        let references = SecretReferences.references(in: needed)
        guard let first = references.first else { return configuration }
        let named = "\(first.field) is a Key Vault reference (\(first.reference))"
        let loaded: QLPConfiguration
        do {
            loaded = try ConfigLoader.load(location, environment: environment, requireAzure: true)
        } catch {
            throw Failure(
                description: "\(location.path): \(named), and reading it needs a usable azure section "
                    + "(its credential and endpoints):\n\(error.description)")
        }
        guard let azure = loaded.azure else {
            throw Failure(description: "\(location.path): \(named), and reading it needs the azure section")
        }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let timeout = configuration.dashboard.requestTimeout
        let credential: any TokenSource
        do {
            credential = try AzureCredentials.source(for: azure, environment: environment, transport: transport, timeout: timeout)
        } catch {
            throw Failure(description: "\(location.path): \(named), and there is no Azure credential to read it with: \(error.description)")
        }
        let vault = KeyVaultClient(transport: transport, tokens: TokenCache(source: credential), timeout: timeout)
        let (resolved, outcomes) = await SecretReferences(client: vault, endpoints: azure.endpoints).resolve(needed)
        let failures = outcomes.compactMap { outcome in
            outcome.failure.map { "cannot resolve \(outcome.field) (\(outcome.reference)): \($0.description)" }
        }
        guard failures.isEmpty else {
            throw Failure(description: "\(location.path): " + failures.joined(separator: "\n\(location.path): "))
        }
        var result = configuration
        result.azureOpenAI = resolved.azureOpenAI
        // An email sink's SMTP password: sent as the reference, the login would fail on every alert.
        result.notifications = resolved.notifications
        // The Redis password: sent as the reference, AUTH would fail and the fleet would never start.
        result.fleet = resolved.fleet
        return result
    }
}

extension GatewaySecrets {
    /// The config `flag` or the lookup finds, without requiring Azure, with
    /// its Key Vault references resolved: what `qlp gateway` and `qlp alerts`
    /// start from. Every problem is a usage failure naming the file.
    static func loadResolved(flag: String?, environment: [String: String]) async throws -> (ConfigLocation, QLPConfiguration) {
        let location: ConfigLocation
        let loaded: QLPConfiguration
        do {
            location = try ConfigLoader.locate(flag: flag, environment: environment)
            loaded = try ConfigLoader.load(location, environment: environment, requireAzure: false)
        } catch let error as ConfigError {
            throw CommandFailure.exit(error.description)
        } catch let error as ConfigErrors {
            throw CommandFailure.exit(error.description)
        }
        do throws(Failure) {
            return (location, try await resolve(loaded, location: location, environment: environment))
        } catch {
            throw CommandFailure.exit(error.description)
        }
    }
}
