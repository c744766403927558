/// Reduces a URL to the part that may be shown: query strings and user info
/// carry tokens and passwords, so they never reach an error or a log line.
enum RedactedEndpoint {
    /// `scheme://host[:port]/path` of `url`.
    ///
    /// Deliberately a plain scan rather than a URL parser: it must give a
    /// safe answer for malformed URLs too, which a parser would reject.
    static func of(_ url: String) -> String {
        var rest = Substring(url)
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<cut]
        }
        var scheme: Substring = ""
        if let separator = rest.firstRange(of: "://") {
            scheme = rest[..<separator.lowerBound]
            rest = rest[separator.upperBound...]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        let path = rest[authorityEnd...]
        let prefix = scheme.isEmpty ? "" : scheme.lowercased() + "://"
        return prefix + authority + (path.isEmpty ? "/" : path)
    }

    /// The query string of `url` (without `?`), empty if none; used to scrub
    /// it out of libcurl's error text.
    static func query(of url: String) -> Substring {
        guard let start = url.firstIndex(of: "?") else { return "" }
        let afterMark = url.index(after: start)
        let end = url[afterMark...].firstIndex(of: "#") ?? url.endIndex
        return url[afterMark..<end]
    }
}
