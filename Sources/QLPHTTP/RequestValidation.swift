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

    /// What is wrong with a URL, found without building any string: this runs
    /// for every upstream request, and the message (with the endpoint
    /// redacted) is made only for a URL that is refused.
    enum URLDefect: Equatable {
        case notAbsolute
        case unsupportedScheme(String)
        case spacesOrControls
        case noHost
    }

    static func urlDefect(_ url: String) -> URLDefect? {
        var url = url
        return url.withUTF8 { bytes -> URLDefect? in
            guard let separator = schemeSeparator(in: bytes) else { return .notAbsolute }
            let scheme = UnsafeBufferPointer(rebasing: bytes[..<separator])
            guard isHTTPScheme(scheme) else {
                return .unsupportedScheme(String(decoding: scheme, as: UTF8.self).lowercased())
            }
            if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return .spacesOrControls }
            // The authority runs to the first "/", "?" or "#"; its host follows the last "@" (user info).
            var hostStart = separator + 3
            var end = hostStart
            while end < bytes.count, bytes[end] != UInt8(ascii: "/"), bytes[end] != UInt8(ascii: "?"), bytes[end] != UInt8(ascii: "#") {
                if bytes[end] == UInt8(ascii: "@") { hostStart = end + 1 }
                end += 1
            }
            if hostStart == end || bytes[hostStart] == UInt8(ascii: ":") { return .noHost }
            return nil
        }
    }

    private static func urlProblem(_ url: String) -> String? {
        guard let defect = urlDefect(url) else { return nil }
        let endpoint = RedactedEndpoint.of(url)
        switch defect {
        case .notAbsolute: return "URL \(endpoint) is not absolute (expected http:// or https://)"
        case .unsupportedScheme(let scheme): return "URL scheme \"\(scheme)\" is not supported (only http and https)"
        case .spacesOrControls: return "URL \(endpoint) contains spaces or control characters"
        case .noHost: return "URL \(endpoint) has no host"
        }
    }

    /// Where the first "://" starts.
    private static func schemeSeparator(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 3 else { return nil }
        for index in 0...(bytes.count - 3)
        where bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/") && bytes[index + 2] == UInt8(ascii: "/") {
            return index
        }
        return nil
    }

    /// "http" or "https" in any case.
    private static func isHTTPScheme(_ scheme: UnsafeBufferPointer<UInt8>) -> Bool {
        let https = "https".utf8
        guard scheme.count == 4 || scheme.count == 5 else { return false }
        return zip(scheme, https).allSatisfy { ASCIICase.lowercased($0) == $1 }
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
