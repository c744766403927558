/// What may be shown of a sink's URL: `scheme://host[:port]`, never the path
/// or query, where Slack and Teams keep the token that lets anyone post to
/// the channel. Every log line and error that names a sink's address goes
/// through here.
public enum SinkURLRedaction {
    /// `https://hooks.slack.com` of `https://hooks.slack.com/services/T/B/secret`.
    /// A plain scan, not a URL parser, so a malformed URL still gives a safe answer.
    public static func schemeAndHost(_ url: String) -> String {
        guard let separator = url.range(of: "://") else { return "<address not shown>" }
        let scheme = url[..<separator.lowerBound].lowercased()
        let rest = url[separator.upperBound...]
        var authority = rest[..<(rest.firstIndex(where: { "/?#\\".contains($0) }) ?? rest.endIndex)]
        // user:password@host: the user info is a credential too.
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return scheme + "://" + authority.lowercased()
    }

    /// `text` with every appearance of the URL, and of each of its longer path
    /// and query parts, replaced: for text a receiver or a library wrote,
    /// which may echo the address back.
    public static func scrub(_ text: String, url: String) -> String {
        guard !url.isEmpty else { return text }
        var out = text.replacingOccurrences(of: url, with: schemeAndHost(url) + "/…")
        guard let separator = url.range(of: "://") else { return out }
        let rest = url[separator.upperBound...]
        guard let pathStart = rest.firstIndex(where: { "/?#".contains($0) }) else { return out }
        let tail = String(rest[pathStart...])
        out = out.replacingOccurrences(of: tail, with: "/…")
        // Path segments and query values long enough to be tokens.
        for piece in tail.split(whereSeparator: { "/?&=#".contains($0) }) where piece.count >= 8 {
            out = out.replacingOccurrences(of: String(piece), with: "…")
        }
        return out
    }
}
