import Foundation
import QLPCore

/// A bearer token and when it stops working.
public struct AccessToken: Sendable, Equatable {
    public var token: Secret
    public var expiresOn: Date

    public init(token: Secret, expiresOn: Date) {
        self.token = token
        self.expiresOn = expiresOn
    }
}

/// Something that can get a token for a scope (client secret, managed
/// identity, Azure CLI...). One method, so new sources slot in.
public protocol TokenSource: Sendable {
    func fetchToken(scope: String) async throws(AzureError) -> AccessToken
    /// Where the source's identity comes from, for `qlp doctor`
    /// ("AZURE_FEDERATED_TOKEN_FILE=/var/run/..."): a path or a variable's name, never a secret.
    var origin: String? { get }
}

extension TokenSource {
    public var origin: String? { nil }
}
