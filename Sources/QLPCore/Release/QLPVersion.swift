/// qlp's version, in one place: `qlp --version` prints it and every request
/// to Azure names it in its User-Agent, so the two can never disagree.
///
/// The release's number is the repository's VERSION file (scripts/release names
/// the tarball from it). SwiftPM cannot generate this constant from that file
/// at build time without a build plugin, so it is written here too and
/// QLPCoreTests' VersionFileTests fails the moment the two differ.
public enum QLPVersion {
    public static let current = "0.2.0"

    /// What qlp sends as User-Agent: Azure support reads it to tell qlp's
    /// requests from other clients' in a tenant's logs.
    public static let userAgent = "qlp/\(current)"
}
