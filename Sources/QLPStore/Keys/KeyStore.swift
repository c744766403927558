import Foundation
import QLPCore

/// Where the gateway's virtual keys live (`qlp keys` writes, the gateway
/// reads). SQLite on one machine; a fleet store can be a second implementation.
public protocol KeyStore: Sendable {
    /// Adds a key; its name must be new (a revoked key's name stays taken, so the audit stays readable).
    func create(_ key: VirtualKey) throws(KeyStoreError)
    /// Every key, revoked and expired ones included, by name.
    func keys() throws(KeyStoreError) -> [VirtualKey]
    func key(named name: String) throws(KeyStoreError) -> VirtualKey?
    /// Refuses the key from `at` on; the key stays listed.
    func revoke(named name: String, at: Date) throws(KeyStoreError) -> VirtualKey
    /// Replaces the key's digest (the old key stops working at once), keeping its name, limits and spend.
    /// A revoked key stays revoked: rotating it throws `.alreadyRevoked`.
    func rotate(named name: String, digest: String, at: Date) throws(KeyStoreError) -> VirtualKey
    /// A number that changes whenever any key changes, by this process or another: a gateway reloads when it moves.
    func changeCount() throws(KeyStoreError) -> Int
}

public enum KeyStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateName(String)
    case unknownKey(String)
    case alreadyRevoked(String)
    case store(StoreError)

    public var description: String {
        switch self {
        case .duplicateName(let name): "a key named '\(name)' already exists (`qlp keys list` shows every key, revoked ones too)"
        case .unknownKey(let name): "no key is named '\(name)' (`qlp keys list` shows them)"
        case .alreadyRevoked(let name): "the key '\(name)' is revoked already"
        case .store(let error): error.description
        }
    }
}
