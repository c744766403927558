import Crypto
import QLPCore

/// The key a receiver drops repeats by: SHA-256 (hex) of the transition's
/// identity, so every attempt, from any qlp process, carries the same key,
/// and the key says nothing about the alert to whoever sees the header.
public enum IdempotencyKey {
    /// The HTTP header it travels in (besides the webhook body's `idempotency_key`).
    public static let header = "Idempotency-Key"

    public static func of(_ transition: AlertTransition) -> String {
        of(identity: transition.identity)
    }

    public static func of(identity: String) -> String {
        SHA256.hash(data: Array(identity.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
