import Crypto

/// A Lua script and its SHA-1, the name EVALSHA calls it by once the server has it cached.
public struct RedisScript: Sendable, Equatable {
    public let source: String
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).map { byte in
            (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}
