import Foundation

/// The keys `gateway.client_key_sha256` lists: unnamed in the config, so
/// named by their place in the list (`config-1`, `config-2`…) wherever a key
/// needs a name (the ledger, the metrics, `qlp keys list`, the Keys view).
/// They have no limits and cannot be revoked except by editing the config.
public enum ConfigListedKeys {
    public static let namePrefix = "config-"

    public static func name(index: Int) -> String { "\(namePrefix)\(index + 1)" }

    /// Whether `name` has the form these names take (`config-` and digits):
    /// such a name is not given to a stored key, so that one name never means
    /// two keys in the ledger, whatever the config lists now or later.
    public static func isReserved(_ name: String) -> Bool {
        guard name.hasPrefix(namePrefix) else { return false }
        let digits = name.dropFirst(namePrefix.count)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The config's digests as keys (digests lowercased, as the key store keeps them).
    public static func keys(hexDigests: [String], loadedAt: Date) -> [VirtualKey] {
        hexDigests.enumerated().map { index, digest in
            VirtualKey(name: name(index: index), digest: digest.lowercased(), origin: .config, createdAt: loadedAt)
        }
    }
}
