/// Where a secret lives, written `keyvault://vault-name/secret-name[/version]`
/// in config: the vault (https://vault-name.vault.azure.net in the public
/// cloud), the secret's name, and optionally one version (else the current one).
public struct KeyVaultReference: Sendable, Equatable, CustomStringConvertible {
    public var vaultName: String
    public var name: String
    public var version: String?

    public static let scheme = "keyvault://"

    public init(vaultName: String, name: String, version: String? = nil) {
        self.vaultName = vaultName
        self.name = name
        self.version = version
    }

    /// The vault's base URL under `endpoints.key_vault`.
    public func vaultURL(in endpoints: AzureEndpoints = .publicCloud) -> String {
        endpoints.keyVaultURL(vault: vaultName)
    }

    public var description: String {
        "\(Self.scheme)\(vaultName)/\(name)" + (version.map { "/\($0)" } ?? "")
    }

    /// Whether a config value is a Key Vault reference at all (and should be parsed).
    public static func isReference(_ text: String) -> Bool {
        text.lowercased().hasPrefix(scheme)
    }

    /// Parses `keyvault://vault-name/secret-name[/version]`, checking the
    /// names against Key Vault's rules so a typo fails here, not as a 404.
    public static func parse(_ text: String) throws(KeyVaultReferenceError) -> KeyVaultReference {
        func fail(_ problem: String) -> KeyVaultReferenceError { KeyVaultReferenceError(reference: text, problem: problem) }
        guard isReference(text) else {
            throw fail("it must start with keyvault:// (keyvault://vault-name/secret-name[/version])")
        }
        let rest = text.dropFirst(scheme.count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            throw fail(
                parts.count < 2
                    ? "it names no secret (keyvault://vault-name/secret-name[/version])"
                    : "it has too many parts (keyvault://vault-name/secret-name[/version])")
        }
        let vault = parts[0]
        guard vault.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw fail("the vault name '\(vault)' may hold only letters, digits and dashes (give the name, not the URL)")
        }
        guard (3...24).contains(vault.count) else { throw fail("the vault name '\(vault)' must be 3 to 24 characters") }
        guard vault.first!.isLetter, vault.last != "-", !vault.contains("--") else {
            throw fail("the vault name '\(vault)' must start with a letter, end with a letter or digit, and have no double dashes")
        }
        let name = parts[1]
        guard !name.isEmpty else { throw fail("the secret name is empty") }
        guard name.count <= 127, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw fail("the secret name '\(name)' may hold only letters, digits and dashes (at most 127)")
        }
        var version: String?
        if parts.count == 3 {
            let v = parts[2]
            guard v.count == 32, v.allSatisfy(\.isHexDigit) else {
                throw fail("the version '\(v)' is not a Key Vault secret version (32 hexadecimal digits)")
            }
            version = v
        }
        return KeyVaultReference(vaultName: vault, name: name, version: version)
    }
}

/// A `keyvault://` reference that cannot be right, and why.
public struct KeyVaultReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reference: String
    public var problem: String

    public var description: String { "'\(reference)' is not a Key Vault reference: \(problem)" }
}
