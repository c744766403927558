import Foundation
import QLPConfig
import QLPCore
import Testing

/// A config file must not be able to send qlp's credentials, tokens or
/// prompts anywhere but Azure (or loopback, where the emulator runs): plain
/// http only to loopback, Azure's endpoints only on Azure's clouds unless the
/// user opts in outside the file, and no environment variable spliced into a URL.
@Suite("Config: endpoint trust")
struct EndpointTrustConfigTests {
    static func parse(_ yaml: String, environment: [String: String] = [:]) -> Result<QLPConfiguration, ConfigErrors> {
        do {
            return .success(try ConfigParser(environment: environment, requireAzure: true).parse(yaml: yaml, file: "trust.yaml"))
        } catch {
            return .failure(error)
        }
    }

    static func errors(_ yaml: String, environment: [String: String] = [:]) -> [ConfigError] {
        if case .failure(let failure) = parse(yaml, environment: environment) { return failure.errors }
        return []
    }

    /// The fixture's azure section with `endpoints:` holding `key: url`.
    static func azureEndpoint(_ key: String, _ url: String) -> String {
        ConfigFixture.base + "  endpoints:\n    \(key): \"\(url)\"\n"
    }

    /// The line `azureEndpoint` puts the URL on.
    static let endpointLine = ConfigFixture.line(1)

    @Test func finding08_plainHTTPToAHostBeyondLoopbackIsRefusedNamingTheLineAndKey() {
        for (key, url) in [
            ("authority", "http://login.microsoftonline.com"), ("management", "http://management.azure.com"),
            ("key_vault", "http://{vault}.vault.azure.net"), ("app_insights", "http://api.applicationinsights.io"),
        ] {
            let found = Self.errors(Self.azureEndpoint(key, url))
            #expect(found.count == 1, "\(key): \(found)")
            #expect(found.first?.key == "azure.endpoints.\(key)")
            #expect(found.first?.line == Self.endpointLine)
            #expect(found.first?.message.contains("https://") == true, "\(found)")
        }
        let openAI = Self.errors(ConfigFixture.base + "azure_openai:\n  endpoint: \"http://qlp.openai.azure.com/\"\n  api_version: v\n")
        #expect(openAI.map(\.key) == ["azure_openai.endpoint"])
        let ollama = Self.errors(ConfigFixture.base + "ollama:\n  endpoint: \"http://10.20.0.4:11434\"\n")
        #expect(ollama.map(\.key) == ["ollama.endpoint"])
        let atlas = Self.errors(
            ConfigFixture.base + "mongodb_atlas:\n  admin_api:\n    org_id: o\n    public_key: p\n"
                + "    private_key: k\n    base_url: \"http://cloud.mongodb.com\"\n")
        #expect(atlas.map(\.key) == ["mongodb_atlas.admin_api.base_url"])

        // Loopback is this machine: the emulator and a local Ollama keep working over http.
        for url in ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.0.0.9"] {
            #expect(Self.errors(Self.azureEndpoint("management", url)).isEmpty, "\(url)")
        }
        #expect(Self.errors(ConfigFixture.base + "ollama:\n  endpoint: \"http://localhost:11434\"\n").isEmpty)
    }

    @Test func finding08_anAzureEndpointOutsideAzuresCloudsIsRefusedUnlessAllowedOutsideTheFile() {
        let foreign = Self.errors(Self.azureEndpoint("authority", "https://login.evil.example"))
        #expect(foreign.count == 1)
        #expect(foreign.first?.key == "azure.endpoints.authority")
        #expect(foreign.first?.line == Self.endpointLine)
        #expect(foreign.first?.message.contains("login.evil.example") == true, "\(foreign)")
        #expect(foreign.first?.message.contains("QLP_ALLOW_CUSTOM_ENDPOINTS") == true, "\(foreign)")
        // A look-alike suffix is not Azure's.
        #expect(Self.errors(Self.azureEndpoint("management", "https://management.azure.com.evil.example")).count == 1)
        #expect(Self.errors(Self.azureEndpoint("key_vault", "https://{vault}.vault.azure.net.evil.example")).count == 1)
        #expect(Self.errors(Self.azureEndpoint("management", "https://evilmanagement.azure.com")).count == 1)
        let openAI = Self.errors(ConfigFixture.base + "azure_openai:\n  endpoint: \"https://openai.evil.example/\"\n  api_version: v\n")
        #expect(openAI.map(\.key) == ["azure_openai.endpoint"])
        // The Atlas private key goes only to MongoDB's Atlas API.
        let atlas = Self.errors(
            ConfigFixture.base + "mongodb_atlas:\n  admin_api:\n    org_id: o\n    public_key: p\n"
                + "    private_key: k\n    base_url: \"https://atlas.evil.example\"\n")
        #expect(atlas.map(\.key) == ["mongodb_atlas.admin_api.base_url"])

        // Azure's public and sovereign clouds.
        for (key, url) in [
            ("authority", "https://login.microsoftonline.us"), ("authority", "https://login.chinacloudapi.cn"),
            ("management", "https://management.usgovcloudapi.net"), ("management", "https://management.chinacloudapi.cn"),
            ("key_vault", "https://{vault}.vault.usgovcloudapi.net"), ("key_vault", "https://{vault}.vault.azure.cn"),
            ("metrics_batch", "https://{region}.metrics.monitor.azure.com"),
            ("log_analytics", "https://api.loganalytics.us"),
        ] {
            #expect(Self.errors(Self.azureEndpoint(key, url)).isEmpty, "\(key): \(url)")
        }
        for endpoint in ["https://qlp.openai.azure.com/", "https://qlp.cognitiveservices.azure.com/", "https://qlp.openai.azure.us/"] {
            #expect(
                Self.errors(ConfigFixture.base + "azure_openai:\n  endpoint: \"\(endpoint)\"\n  api_version: v\n").isEmpty,
                "\(endpoint)")
        }
        // The opt-in lives in the environment, where a file found in the working directory cannot set it.
        #expect(
            Self.errors(
                Self.azureEndpoint("authority", "https://login.evil.example"),
                environment: ["QLP_ALLOW_CUSTOM_ENDPOINTS": "1"]
            ).isEmpty)
    }

    @Test func finding08_aURLTakesAnEnvironmentVariableOnlyAsTheWholeValueAndNeverEchoesIt() {
        let secret = "s3cr3t-value-8c1d"
        let environment = ["AZURE_CLIENT_SECRET": secret, "OLLAMA_URL": "http://localhost:11434"]
        let spliced = Self.errors(
            ConfigFixture.base + "ollama:\n  endpoint: \"https://collect.example/${AZURE_CLIENT_SECRET}\"\n",
            environment: environment)
        #expect(spliced.map(\.key) == ["ollama.endpoint"])
        #expect(spliced.first?.message.contains("whole value") == true, "\(spliced)")
        #expect(!spliced.description.contains(secret))
        let host = Self.errors(
            ConfigFixture.base + "azure_openai:\n  endpoint: \"https://${AZURE_CLIENT_SECRET}.openai.azure.com\"\n"
                + "  api_version: v\n", environment: environment)
        #expect(host.map(\.key) == ["azure_openai.endpoint"])
        #expect(!host.description.contains(secret))
        // A secret that is not a URL at all is refused without being shown.
        let whole = Self.errors(ConfigFixture.base + "ollama:\n  endpoint: \"${AZURE_CLIENT_SECRET}\"\n", environment: environment)
        #expect(whole.map(\.key) == ["ollama.endpoint"])
        #expect(!whole.description.contains(secret), "\(whole)")

        #expect(Self.errors(ConfigFixture.base + "ollama:\n  endpoint: \"${OLLAMA_URL}\"\n", environment: environment).isEmpty)
    }
}
