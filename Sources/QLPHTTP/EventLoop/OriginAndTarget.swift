/// An absolute `http` or `https` URL split into what an HTTP/1.1 client
/// needs: where to connect, what to write in `Host`, and the request target.
struct OriginAndTarget: Sendable, Equatable {
    /// The connection's identity: a pooled connection is reused only for the same origin.
    struct Origin: Hashable, Sendable {
        var tls: Bool
        /// As written in the URL, without brackets around an IPv6 literal.
        var host: String
        var port: Int
    }

    var origin: Origin
    /// `host[:port]` as the Host header carries it (the port only when not the scheme's default).
    var hostHeader: String
    /// The path and query ("/" when the URL has no path); the fragment is never sent.
    var target: String

    /// Nil when `url` is not an absolute http(s) URL with a host and a valid port.
    /// `RequestValidation` has already refused malformed URLs with a message;
    /// this only takes apart one that passed.
    init?(_ url: String) {
        guard let separator = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let tls = scheme == "https"
        var rest = url[separator.upperBound...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let path = rest[authorityEnd...]
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        let defaultPort = tls ? 443 : 80
        var port = defaultPort
        if let portText, !portText.isEmpty {
            guard let given = Int(portText), (1...65535).contains(given) else { return nil }
            port = given
        }
        origin = Origin(tls: tls, host: String(host), port: port)
        let bracketed = host.contains(":") ? "[\(host)]" : String(host)
        hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        target = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
    }
}
