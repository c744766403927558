import Crypto

/// MD5, for the emulated Atlas API's HTTP Digest authentication (RFC 7616
/// with algorithm=MD5, as Atlas uses). MD5 is broken as a cryptographic hash;
/// it is here only because the protocol being emulated names it. swift-crypto
/// computes it (it was written out here before swift-crypto was a dependency).
enum MD5 {
    /// The digest of `text`'s UTF-8 bytes as 32 lower-case hex digits, the
    /// form HTTP Digest hashes and compares.
    static func hex(_ text: String) -> String {
        Insecure.MD5.hash(data: Array(text.utf8)).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}
