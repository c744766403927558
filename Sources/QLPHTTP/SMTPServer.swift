/// Where and how mail is handed over: an SMTP submission server or relay.
///
/// Printing it shows ``endpoint``, the user name and the STARTTLS policy;
/// never the password.
public struct SMTPServer: Sendable, Equatable {
    /// `smtp://host[:port]` (STARTTLS per ``starttls``) or `smtps://host[:port]`
    /// (implicit TLS). No user info: credentials go in ``username`` and
    /// ``password``, which never appear in errors or logs. A path, if any, is
    /// what libcurl sends as the EHLO name.
    public var url: String
    /// The login name for SMTP AUTH; nil logs in as no one.
    public var username: String?
    /// The password for SMTP AUTH; only sent when ``username`` is set.
    public var password: SMTPPassword?
    /// Ignored for `smtps://`, which is TLS from the start.
    public var starttls: SMTPStartTLS
    /// The limit on the whole exchange, connecting included.
    public var timeout: Duration

    /// A server; STARTTLS is required unless said otherwise, so that a
    /// password is never sent in the clear by default.
    public init(
        url: String, username: String? = nil, password: SMTPPassword? = nil,
        starttls: SMTPStartTLS = .required, timeout: Duration = .seconds(30)
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout
    }

    /// `scheme://host:port` (the default port filled in), the form errors
    /// and logs name the server by; a URL that does not parse is shown
    /// reduced to scheme, host and path, without user info or query.
    public var endpoint: String {
        (try? SMTPServerURL.parse(url))?.endpoint ?? RedactedEndpoint.of(url)
    }
}

extension SMTPServer: CustomStringConvertible {
    public var description: String {
        var text = endpoint
        if let username { text += " as \(username)" }
        if SMTPServerURL.isImplicitTLS(url) {
            text += " (TLS)"
        } else {
            text += " (STARTTLS \(starttls.rawValue))"
        }
        return text
    }
}
