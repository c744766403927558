/// Whether an `smtp://` connection is upgraded to TLS with STARTTLS
/// (RFC 3207). `smtps://` URLs use implicit TLS from the first byte and
/// ignore this setting.
public enum SMTPStartTLS: String, Sendable, Equatable, CaseIterable {
    /// STARTTLS or fail (CURLUSESSL_ALL): the safe choice whenever a password
    /// is sent, since nothing then goes out in the clear.
    case required
    /// STARTTLS when the server offers it, plain otherwise (CURLUSESSL_TRY).
    /// Someone on the path can strip the offer, so a password sent this way
    /// may travel in the clear.
    case optional
    /// Plain SMTP (CURLUSESSL_NONE): for a relay on loopback or a trusted
    /// network only.
    case never
}
