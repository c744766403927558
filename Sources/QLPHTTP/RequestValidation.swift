/// Checks done before a request reaches libcurl, so that mistakes fail with a
/// clear message instead of an obscure curl code, and so that header values
/// cannot smuggle extra header lines (CR/LF injection).
enum RequestValidation {
    /// The reason `request` cannot be sent, or nil if it can.
    static func problem(in request: HTTPRequest) -> String? {
        if let problem = urlProblem(request.url) { return problem }
        for (name, value) in request.headers {
            if name.isEmpty || !name.utf8.allSatisfy(isTokenByte) {
                return "header name \"\(name)\" is not a valid HTTP token"
            }
            if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
                return "the value of header \(name) contains a line break or NUL"
            }
        }
        if request.method == .head && !request.body.isEmpty {
            return "a HEAD request cannot carry a body"
        }
        if request.timeout <= .zero { return "the timeout must be positive" }
        if request.connectTimeout <= .zero { return "the connect timeout must be positive" }
        if request.maxResponseBytes < 0 { return "maxResponseBytes must not be negative" }
        return nil
    }

    private static func urlProblem(_ url: String) -> String? {
        let endpoint = RedactedEndpoint.of(url)
        guard let separator = url.firstRange(of: "://") else {
            return "URL \(endpoint) is not absolute (expected http:// or https://)"
        }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return "URL scheme \"\(scheme)\" is not supported (only http and https)"
        }
        if url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            return "URL \(endpoint) contains spaces or control characters"
        }
        let afterScheme = url[separator.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        if host.isEmpty || host.hasPrefix(":") {
            return "URL \(endpoint) has no host"
        }
        return nil
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
