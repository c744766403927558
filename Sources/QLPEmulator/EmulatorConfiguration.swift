import Foundation
import QLPCore

/// What the emulator pretends to be: which tenant, which service principal,
/// which subscription, and how its data and tokens behave.
public struct EmulatorConfiguration: Sendable {
    public var tenantID: String
    public var clientID: String
    public var clientSecret: String
    public var subscriptionID: String
    public var world: CostWorld
    /// Rows per Cost Management page before a nextLink (Azure uses 1000-5000).
    public var costPageSize: Int
    /// Lifetime of issued tokens (Entra ID: about an hour).
    public var tokenLifetime: Duration
    /// The emulator's clock; tests pin it.
    public var clock: @Sendable () -> Date
    /// Resources whose Azure Monitor metrics (and definitions) the emulator serves.
    public var resources: [EmulatedResource] = EmulatedResource.quantumLayerPlatform
    /// Key Vault secrets (name: value) served at /secrets/{name}: the emulator stands in for the vault.
    public var secrets: [String: String] = EmulatorConfiguration.demoSecrets
    /// The Application Insights application ID of the data plane (/v1/apps/{appId}).
    public var appInsightsAppID: String = EmulatorConfiguration.demoAppInsightsAppID
    /// The Log Analytics workspace ID (/v1/workspaces/{workspaceId}).
    public var logAnalyticsWorkspaceID: String = EmulatorConfiguration.demoLogAnalyticsWorkspaceID
    /// The client ID of the machine's user-assigned managed identity; IMDS
    /// requests naming another client_id are refused.
    public var managedIdentityClientID: String = EmulatorConfiguration.demoManagedIdentityClientID
    /// Workload identity's federated credential: a client assertion is
    /// accepted when it is exactly what this file holds at the time of the
    /// request (as kubelet's projected service account token, rotated in
    /// place). Entra ID checks the token's issuer and subject against the
    /// federated credential and the issuer's keys; the emulator has no OIDC
    /// issuer, so it trusts the file the pod was given, and nothing else.
    public var federatedTokenFile: String? = nil
    /// A certificate registered on the app registration: client assertions
    /// naming it by `x5t` must carry its key's RS256 signature.
    public var trustedCertificate: TrustedCertificate? = nil
    /// App Service's IDENTITY_HEADER: the identity endpoint (/msi/token) refuses requests without it.
    public var identityHeader: String = EmulatorConfiguration.demoIdentityHeader
    /// The MongoDB Atlas organisation whose invoices the emulated Admin API serves.
    public var atlasOrgID: String = EmulatorConfiguration.demoAtlasOrgID
    /// The Atlas API key the emulator accepts (HTTP Digest: public key as user, private key as password).
    public var atlasPublicKey: String = EmulatorConfiguration.demoAtlasPublicKey
    public var atlasPrivateKey: String = EmulatorConfiguration.demoAtlasPrivateKey
    /// The USD credit Atlas applies to closed invoices until it is used up, in
    /// cents: $633.00, about £500 at 0.79 GBP per USD.
    public var atlasCreditCents: Int = 63_300
    /// The key Azure OpenAI requests must carry in `api-key` (the same value
    /// the emulated vault hands out as azure-openai-api-key).
    public var openAIKey: String = EmulatorConfiguration.demoOpenAIKey
    /// Azure OpenAI deployments served at /openai/deployments/{name}/...
    public var openAIDeployments: [EmulatedDeployment] = EmulatedDeployment.quantumLayerPlatform
    /// The models the emulated Ollama server has pulled (/api/tags, /api/chat, /v1/...).
    public var ollamaModels: [EmulatedModel] = EmulatedModel.quantumLayerPlatformOllama
    /// Ollama models loaded in memory at start; others pay a cold start on first use.
    public var ollamaLoadedModels: [String] = ["llama3:8b"]
    /// Whether model requests take their realistic time, a fraction of it, or none.
    public var modelLatency: ModelLatency = .realistic
    /// Seed for the models' timings (the same requests in the same order time the same).
    public var modelSeed: UInt64 = 4
    /// Names reported in place of the emulator's own from the start (own name → reported
    /// name); `AzureEmulator.names` changes them at run time. See `ReportedNames`.
    public var resourceRenames: [String: String] = [:]

    /// A deployment by its name in the URL (Azure matches it case-insensitively).
    public func deployment(named name: String) -> EmulatedDeployment? {
        openAIDeployments.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// An Ollama model by name; a name without a tag means ":latest", as Ollama reads it.
    public func ollamaModel(named name: String) -> EmulatedModel? {
        let full = name.contains(":") ? name : name + ":latest"
        return ollamaModels.first { $0.name == full }
    }

    public init(
        tenantID: String = EmulatorConfiguration.demoTenantID,
        clientID: String = EmulatorConfiguration.demoClientID,
        clientSecret: String = EmulatorConfiguration.demoClientSecret,
        subscriptionID: String = EmulatorConfiguration.demoSubscriptionID,
        world: CostWorld, costPageSize: Int = 1000, tokenLifetime: Duration = .seconds(3599),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.subscriptionID = subscriptionID
        self.world = world
        self.costPageSize = max(1, costPageSize)
        self.tokenLifetime = tokenLifetime
        self.clock = clock
    }

    public static let demoTenantID = "72f988bf-0000-4000-8000-00000000demo"
    public static let demoClientID = "535fb089-9ff3-47b6-9bfb-4f1264799865"
    /// Not a secret: the emulator's own demo credential, valid only against it.
    public static let demoClientSecret = "qlp-emulator-demo-credential"
    public static let demoSubscriptionID = "00000000-0000-4000-8000-0000000000de"
    /// Not secrets: values only the emulator's vault hands out.
    public static let demoSecrets = ["azure-openai-api-key": demoOpenAIKey, "mongodb-atlas-private-key": demoAtlasPrivateKey]
    public static let demoAppInsightsAppID = "5b6c7d8e-0000-4000-8000-00000000a11a"
    public static let demoLogAnalyticsWorkspaceID = "6c7d8e9f-0000-4000-8000-00000000109a"
    /// Not a secret: the emulated App Service's IDENTITY_HEADER.
    public static let demoIdentityHeader = "emu-identity-header-for-the-emulator-only"
    public static let demoManagedIdentityClientID = "7d8e9fa0-0000-4000-8000-0000000000f1"
    /// Demo only, not secrets: an Atlas organisation and API key that exist only in
    /// the emulator. The private key is the one the emulated vault hands out as
    /// mongodb-atlas-private-key.
    public static let demoAtlasOrgID = "6530f0a1e0b2c3d4e5f60718"
    public static let demoAtlasPublicKey = "qlpdemok"
    public static let demoAtlasPrivateKey = "emu-atlas-key-for-the-emulator-only"
    /// Demo only, not a secret: the Azure OpenAI key of the emulated resource.
    public static let demoOpenAIKey = "emu-aoai-key-for-the-emulator-only"
}
