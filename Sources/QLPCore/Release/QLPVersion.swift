/// qlp's version, in one place: `qlp --version` prints it and every request
/// to Azure names it in its User-Agent, so the two can never disagree.
public enum QLPVersion {
    public static let current = "0.1.0"

    /// What qlp sends as User-Agent: Azure support reads it to tell qlp's
    /// requests from other clients' in a tenant's logs.
    public static let userAgent = "qlp/\(current)"
}
