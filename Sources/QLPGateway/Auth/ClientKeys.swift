import Crypto
import Foundation

/// The client API keys the gateway accepts, held only as SHA-256 digests (the
/// config stores their hex). A key is checked by hashing it and comparing the
/// digest with every configured one in constant time, so neither the key nor
/// the position of a match leaks through timing. Keys are never logged.
public struct ClientKeys: Sendable {
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notSHA256Hex(index: Int)

        public var description: String {
            switch self {
            case .notSHA256Hex(let index):
                "gateway.client_key_sha256[\(index)] is not a SHA-256 hex digest (64 hex digits); make one with `qlp gateway hash-key`"
            }
        }
    }

    private let digests: [[UInt8]]

    /// No key required when `hexDigests` is empty.
    public init(hexDigests: [String]) throws(ParseError) {
        var digests: [[UInt8]] = []
        for (index, hex) in hexDigests.enumerated() {
            guard let bytes = Self.bytes(hex: hex), bytes.count == 32 else { throw .notSHA256Hex(index: index) }
            digests.append(bytes)
        }
        self.digests = digests
    }

    public var required: Bool { !digests.isEmpty }

    /// Whether an `Authorization` header value carries an accepted key.
    public func admits(authorization: String?) -> Bool {
        guard required else { return true }
        guard let authorization, authorization.count > 7,
              authorization.prefix(7).lowercased() == "bearer " else { return false }
        let key = authorization.dropFirst(7)
        let digest = Array(SHA256.hash(data: Data(key.utf8)))
        var matched: UInt8 = 0
        for candidate in digests {
            var difference: UInt8 = 0
            for i in 0..<32 { difference |= candidate[i] ^ digest[i] }
            matched |= difference == 0 ? 1 : 0
        }
        return matched == 1
    }

    /// The hex SHA-256 of a key, as `gateway.client_key_sha256` holds it.
    public static func hexDigest(of key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.lowercased().utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
