import Foundation
import QLPCore

/// What each endpoint key of the config may name. Credentials, tokens and
/// prompts go to these URLs, and a config file can be planted (a
/// `./config/qlp.yaml` in a cloned repository is found without asking), so a
/// URL is checked for where it sends them, not only for its shape:
///
/// - plain `http://` only to loopback (the emulator, a local Ollama);
/// - Azure's endpoints only on the hosts of Azure's public and sovereign
///   clouds, Atlas's only on MongoDB's; loopback is always allowed;
/// - anything else only when the environment says QLP_ALLOW_CUSTOM_ENDPOINTS=1
///   (a proxy, a private stand-in), with a warning naming each such host. The
///   switch is in the environment because a file must not be able to vouch
///   for itself.
///
/// The hosts are Microsoft's own endpoint tables: `az cloud show` for
/// AzureCloud, AzureUSGovernment and AzureChinaCloud, and
/// https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure#guidance-for-developers
/// and https://learn.microsoft.com/azure/china/resources-developer-guide.
/// Only hosts Microsoft operates are listed: names a customer can register
/// and run code behind (*.azurewebsites.net, *.azure-api.net) are not, since
/// their owner would see the key.
enum EndpointKind: Sendable {
    case entraAuthority, resourceManager, keyVault, appInsights, logAnalytics, metricsBatch, azureOpenAI
    case atlasAdminAPI
    /// A self-hosted model server: any host, over https unless loopback.
    case ollama
    /// Where alert notifications are posted (a webhook, Slack, Teams): any
    /// host, since the operator picks the receiver, over https unless loopback.
    case alertSink

    static let allowCustomVariable = "QLP_ALLOW_CUSTOM_ENDPOINTS"

    /// Exact host names, or `*.suffix` for any name under it; nil: any host.
    var trustedHosts: [String]? {
        switch self {
        case .entraAuthority:
            ["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn"]
        case .resourceManager:
            ["management.azure.com", "management.usgovcloudapi.net", "management.chinacloudapi.cn"]
        case .keyVault:
            ["*.vault.azure.net", "*.vault.usgovcloudapi.net", "*.vault.azure.cn"]
        case .appInsights:
            ["api.applicationinsights.io", "api.applicationinsights.us", "api.applicationinsights.azure.cn"]
        case .logAnalytics:
            ["api.loganalytics.io", "api.loganalytics.azure.com", "api.loganalytics.us", "api.loganalytics.azure.cn"]
        case .metricsBatch:
            ["*.metrics.monitor.azure.com", "*.metrics.monitor.azure.us", "*.metrics.monitor.azure.cn"]
        case .azureOpenAI:
            [
                "*.openai.azure.com", "*.cognitiveservices.azure.com", "*.services.ai.azure.com",
                "*.openai.azure.us", "*.cognitiveservices.azure.us", "*.cognitiveservices.azure.cn", "*.openai.azure.cn",
            ]
        case .atlasAdminAPI:
            ["cloud.mongodb.com", "cloud.mongodbgov.com"]
        case .ollama, .alertSink:
            nil
        }
    }

    /// What the host should have been, for the message.
    var what: String {
        switch self {
        case .entraAuthority: "an Entra ID authority host of Azure's clouds"
        case .resourceManager: "an Azure Resource Manager host of Azure's clouds"
        case .keyVault: "a Key Vault host of Azure's clouds"
        case .appInsights: "an Application Insights query host of Azure's clouds"
        case .logAnalytics: "a Log Analytics query host of Azure's clouds"
        case .metricsBatch: "an Azure Monitor metrics host of Azure's clouds"
        case .azureOpenAI: "an Azure OpenAI host"
        case .atlasAdminAPI: "MongoDB Atlas's API host"
        case .ollama: "a model server"
        case .alertSink: "an alert receiver"
        }
    }

    func trusts(host: String) -> Bool {
        guard let patterns = trustedHosts else { return true }
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return patterns.contains { pattern in
            if pattern.hasPrefix("*.") {
                let suffix = String(pattern.dropFirst(1))
                return name.count > suffix.count && name.hasSuffix(suffix)
            }
            return name == pattern
        }
    }

    /// `${NAME}` or `${NAME:-fallback}` and nothing else.
    static func isWholeReference(_ raw: String) -> Bool {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("${"), text.hasSuffix("}") else { return false }
        return !text.dropFirst(2).dropLast().contains("${") && !text.dropFirst(2).dropLast().contains("}")
    }
}

extension ConfigReader {
    /// An endpoint URL of `kind`, checked for where it sends what qlp sends it.
    /// `placeholder` ({vault}, {region}) may stand for a name in the host; a
    /// template without it sends every name to one address (the emulator).
    ///
    /// `secret`: the URL itself is a credential (a Slack or Teams webhook
    /// carries its token in the path), so a message shows at most its
    /// scheme and host.
    func endpoint(
        _ value: ConfigValue, _ kind: EndpointKind, placeholder: String? = nil, example: String? = nil,
        secret: Bool = false
    ) -> String? {
        guard case .scalar(let scalar) = value.node else {
            _ = string(value)
            return nil
        }
        let raw = scalar.string
        let fromEnvironment = raw.contains("${")
        if fromEnvironment, !EndpointKind.isWholeReference(raw) {
            fail(
                value,
                "a URL takes an environment variable only as the whole value (\"${NAME}\"), so that no variable "
                    + "(a secret, say) is spliced into an address; write the URL out, or put all of it in one variable")
            return nil
        }
        // secret: a malformed reference is not echoed; what a variable held is never shown unless it is a URL.
        guard let substituted = string(value, secret: true) else { return nil }
        let text = substituted.trimmingCharacters(in: .whitespaces)
        let shown = fromEnvironment ? raw : (secret ? Self.schemeAndHost(text) : text)
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            fail(value, "expected an http:// or https:// URL, found '\(shown)'")
            return nil
        }
        var probe = text
        if let placeholder {
            let without = text.replacingOccurrences(of: placeholder, with: "")
            guard !without.contains("{"), !without.contains("}") else {
                fail(value, "the only placeholder allowed is \(placeholder), as in \(example ?? placeholder); found '\(shown)'")
                return nil
            }
            probe = text.replacingOccurrences(of: placeholder, with: "name")
        }
        guard let components = URLComponents(string: probe), let rawHost = components.host, !rawHost.isEmpty else {
            fail(value, "expected a URL with a host name, such as \(example ?? "https://host.example"), found '\(shown)'")
            return nil
        }
        guard components.user == nil, components.password == nil else {
            fail(value, "a URL here must not carry a user name or password: they would be sent, and logged, with every request")
            return nil
        }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let loopback = LoopbackHost.contains(host)
        if lower.hasPrefix("http://"), !loopback {
            fail(
                value,
                "plain http:// is allowed only to loopback (127.0.0.1, ::1, localhost): what qlp sends \(host) "
                    + "(keys, tokens, prompts) must be encrypted; use https://")
            return nil
        }
        if !loopback, !kind.trusts(host: host) {
            let expected = (kind.trustedHosts ?? []).joined(separator: ", ")
            if customEndpointsAllowed {
                warn(
                    value,
                    "\(host) is not \(kind.what) (\(expected)); qlp will send it credentials and data because "
                        + "\(EndpointKind.allowCustomVariable) is set")
            } else {
                fail(
                    value,
                    "\(host) is not \(kind.what) (expected one of \(expected)), and qlp sends this address "
                        + "credentials or data; if the host is yours (a proxy, a private cloud), run qlp with "
                        + "\(EndpointKind.allowCustomVariable)=1 in the environment")
                return nil
            }
        }
        return text
    }

    /// `scheme://host[:port]` of a URL, or a placeholder when it has none:
    /// what a message may show of a URL that is a secret.
    static func schemeAndHost(_ url: String) -> String {
        guard let separator = url.range(of: "://") else { return "<a URL, not shown>" }
        let rest = url[separator.upperBound...]
        var authority = rest[..<(rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex)]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return url[..<separator.lowerBound].lowercased() + "://" + authority + "/…"
    }
}
