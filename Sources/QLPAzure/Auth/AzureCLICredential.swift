import Foundation
import QLPCore
import QLPHTTP

/// The token of a logged-in Azure CLI (`az account get-access-token`), as the
/// Azure SDKs' AzureCliCredential reads it. The token goes from az's stdout
/// to memory only; az's own messages are reduced to a remedy, never echoed.
public struct AzureCLICredential: TokenSource {
    /// The `az` executable (found on PATH by default).
    public var executable: String
    public var timeout: Duration
    public var environment: [String: String]

    public init(
        executable: String = "az", timeout: Duration = .seconds(30),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.executable = executable
        self.timeout = timeout
        self.environment = environment
    }

    public func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        // az takes a resource, not a scope: https://management.azure.com/.default -> https://management.azure.com/
        let resource = scope.hasSuffix("/.default") ? String(scope.dropLast(".default".count)) : scope
        guard let path = locate() else {
            throw .credentialUnavailable(detail: "the Azure CLI (az) is not installed or not on PATH")
        }
        let result = try await run(path, ["account", "get-access-token", "--output", "json", "--resource", resource])
        guard result.status == 0 else {
            let text = result.error.lowercased()
            if text.contains("az login") || text.contains("not logged in") || text.contains("no subscription") {
                throw .credentialUnavailable(detail: "the Azure CLI is not logged in: run `az login`")
            }
            if text.contains("aadsts") {
                let code = text.range(of: "aadsts").flatMap { Int(text[$0.upperBound...].prefix { $0.isNumber }) }
                throw .authentication(
                    AuthenticationFailure(
                        endpoint: "az account get-access-token", status: Int(result.status),
                        code: code, error: "azure_cli", message: "the Azure CLI could not get a token"))
            }
            throw .credentialUnavailable(detail: "`az account get-access-token` failed (exit \(result.status))")
        }
        struct Output: Decodable {
            var accessToken: String
            var expiresOnSeconds: FlexibleInt?
            var expiresOn: String?

            // az prints both spellings: expires_on (POSIX seconds) and expiresOn (local time).
            enum CodingKeys: String, CodingKey {
                case accessToken
                case expiresOnSeconds = "expires_on"
                case expiresOn
            }
        }
        guard let output = try? JSONDecoder().decode(Output.self, from: Data(result.output)) else {
            throw .malformedResponse(
                service: "Azure CLI", endpoint: "az account get-access-token", status: 0,
                detail: "expected JSON with accessToken and expires_on", excerpt: "")
        }
        // expires_on (POSIX seconds, az 2.54+) is unambiguous; expiresOn is local time without a zone.
        if let seconds = output.expiresOnSeconds?.seconds {
            return AccessToken(token: Secret(output.accessToken), expiresOn: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        if let local = output.expiresOn, let date = Self.parseLocal(local) {
            return AccessToken(token: Secret(output.accessToken), expiresOn: date)
        }
        throw .malformedResponse(
            service: "Azure CLI", endpoint: "az account get-access-token", status: 0,
            detail: "no expiry (expires_on or expiresOn)", excerpt: "")
    }

    /// What `az` is given of qlp's environment: where to find programs, its
    /// login (HOME, AZURE_CONFIG_DIR), its extensions, the locale and temporary
    /// directory Python needs, and the proxy and CA settings it needs to reach
    /// Azure from behind a corporate proxy. Nothing else: qlp's environment
    /// holds client secrets, the admin token and API keys that az has no use for.
    static let passedVariables: Set<String> = [
        "PATH", "HOME", "AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR",
        "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
        "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
    ]

    var subprocessEnvironment: [String: String] { environment.filter { Self.passedVariables.contains($0.key) } }

    private func locate() -> String? {
        if executable.contains("/") { return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil }
        // Only absolute directories: an empty or relative PATH entry would run an `az` from the working directory.
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private func run(_ path: String, _ arguments: [String]) async throws(AzureError) -> (status: Int32, output: [UInt8], error: String) {
        do {
            let result = try await BoundedSubprocess(
                path: path, arguments: arguments, environment: subprocessEnvironment,
                timeout: timeout
            ).run()
            return (result.status, result.output, String(decoding: result.error, as: UTF8.self))
        } catch {
            switch error {
            case .timedOut:
                throw .credentialUnavailable(detail: "the Azure CLI did not answer within \(timeout.components.seconds) s")
            case .cannotStart(let reason):
                throw .credentialUnavailable(detail: "could not run the Azure CLI: \(reason)")
            case .outputTooLarge(let limit):
                // A token answer is a few KiB; this is not az answering as documented.
                throw .malformedResponse(
                    service: "Azure CLI", endpoint: "az account get-access-token", status: 0,
                    detail: "more than \(limit / 1024) KiB on stdout or stderr; az was stopped", excerpt: "")
            case .cancelled:
                throw .transport(service: "Azure CLI", .cancelled(endpoint: "az account get-access-token"))
            case .ioFailed(let reason):
                throw .credentialUnavailable(detail: "lost the Azure CLI while it ran: \(reason)")
            }
        }
    }

    /// "2026-11-26 18:42:05.000000" in the local zone.
    static func parseLocal(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        for format in ["yyyy-MM-dd HH:mm:ss.SSSSSS", "yyyy-MM-dd HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
