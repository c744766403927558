import Crypto
import Foundation

/// Client API keys as the gateway handles them: only their SHA-256 digests
/// are kept (the config and the key store hold the hex), the key is read
/// from a bearer `Authorization` header, and never logged.
public enum ClientKeys {
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notSHA256Hex(index: Int)

        public var description: String {
            switch self {
            case .notSHA256Hex(let index):
                "gateway.client_key_sha256[\(index)] is not a SHA-256 hex digest (64 hex digits); make one with `qlp gateway hash-key`"
            }
        }
    }

    /// The config's digests, lowercased, or the first that is not 64 hex digits.
    public static func validated(hexDigests: [String]) throws(ParseError) -> [String] {
        var out: [String] = []
        for (index, hex) in hexDigests.enumerated() {
            let lower = hex.lowercased()
            guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                throw .notSHA256Hex(index: index)
            }
            out.append(lower)
        }
        return out
    }

    /// The key in a `Bearer KEY` header value (the scheme in any case), or nil.
    public static func bearer(_ authorization: String?) -> Substring? {
        guard let authorization, authorization.utf8.count > 7,
            authorization.prefix(7).lowercased() == "bearer "
        else { return nil }
        let key = authorization.dropFirst(7)
        return key.isEmpty ? nil : key
    }

    /// The hex SHA-256 of a key, as `gateway.client_key_sha256` and the key store hold it.
    public static func hexDigest<Key: StringProtocol>(of key: Key) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(key.utf8)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
