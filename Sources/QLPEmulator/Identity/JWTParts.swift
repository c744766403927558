import Foundation
import QLPCore

/// A compact JWT cut into its parts, header and claims decoded as JSON
/// objects; the signature is checked by whoever trusts the key.
struct JWTParts {
    var header: [String: Any]
    var claims: [String: Any]
    var signature: [UInt8]
    /// header.claims, as signed.
    var signingInput: String

    init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let h = Base64URL.decode(parts[0]), let c = Base64URL.decode(parts[1]),
            let header = (try? JSONSerialization.jsonObject(with: Data(h))) as? [String: Any],
            let claims = (try? JSONSerialization.jsonObject(with: Data(c))) as? [String: Any],
            let signature = Base64URL.decode(parts[2])
        else { return nil }
        self.header = header
        self.claims = claims
        self.signature = signature
        signingInput = parts[0] + "." + parts[1]
    }

    func string(_ claim: String) -> String? { claims[claim] as? String }
    func number(_ claim: String) -> Double? { (claims[claim] as? NSNumber)?.doubleValue }
}
