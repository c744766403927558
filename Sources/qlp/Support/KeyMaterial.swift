/// A new client key: `qlp_` and 43 characters of base62 drawn from the
/// system's CSPRNG (SystemRandomNumberGenerator: getrandom on Linux). 62^43
/// is just over 2^256, so a key is as hard to guess as its SHA-256 is to
/// invert. The prefix lets secret scanners and people tell what it is.
///
/// The key exists only in memory on its way to standard output; the store
/// keeps its digest.
enum KeyMaterial {
    static let prefix = "qlp_"
    static let randomLength = 43
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        // random(in:using:) rejects out-of-range draws, so each character is uniform (no modulo bias).
        let body = (0..<randomLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return prefix + String(body)
    }
}
