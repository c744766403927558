import HTTPTypes
import QLPCore

/// Which names a listener answers to and which web pages may call it.
///
/// A gateway on loopback is still reachable by every web page the user opens:
/// a page can POST to http://127.0.0.1:8088 (a "simple" request needs no
/// CORS preflight), and through DNS rebinding it can even read the answer: a
/// name the attacker controls (rebind.evil.example) first resolves to their
/// server, which serves the page, then to 127.0.0.1, so the browser treats
/// the gateway as the page's own origin. What the page cannot change is the
/// Host header: the browser always sends the name from the URL, which is the
/// attacker's, never a loopback name. So a loopback listener answers only
/// Host headers that are loopback names or addresses (or listed in
/// gateway.allowed_hosts); no DNS answer can make a browser send those for a
/// page served from elsewhere. And browsers name the calling page in Origin
/// on every cross-origin request and on every POST: a request with an Origin
/// is refused unless that origin is listed in gateway.allowed_origins, which
/// is also the only case in which CORS headers are granted.
///
/// A listener beyond loopback has client keys (the gateway will not start
/// without them), is reached by whatever name its network gives it, and
/// checks Host only when gateway.allowed_hosts lists names; IP literals and
/// loopback names then stay allowed, since a rebinding page always arrives
/// under a DNS name.
public struct HostAndOriginPolicy: Sendable, Equatable {
    public enum Refusal: Error, Sendable, Equatable {
        case missingHost
        case duplicateHost
        case hostNotAllowed(host: String)
        case originNotAllowed(origin: String)

        public var status: HTTPResponse.Status {
            switch self {
            case .missingHost, .duplicateHost: .badRequest
            case .hostNotAllowed: .misdirectedRequest
            case .originNotAllowed: .forbidden
            }
        }

        public var code: String {
            switch self {
            case .missingHost, .duplicateHost: "invalid_host"
            case .hostNotAllowed: "host_not_allowed"
            case .originNotAllowed: "origin_not_allowed"
            }
        }

        public var message: String {
            switch self {
            case .missingHost:
                "The request has no Host header."
            case .duplicateHost:
                "The request has more than one Host header."
            case .hostNotAllowed(let host):
                "This gateway does not answer to the host name '\(ClientText.printable(host))': it answers localhost, "
                    + "127.0.0.1, [::1] and the names listed in gateway.allowed_hosts (another name reaching a loopback "
                    + "listener is what a DNS rebinding attack looks like)."
            case .originNotAllowed(let origin):
                "Requests from the web page at '\(ClientText.printable(origin))' are not allowed: browsers may call "
                    + "this gateway only from origins listed in gateway.allowed_origins."
            }
        }
    }

    public let listenerIsLoopback: Bool
    /// Lower-cased host names or addresses (no port).
    public let allowedHosts: Set<String>
    /// Lower-cased origins, as browsers send them (https://app.example:8443).
    public let allowedOrigins: Set<String>

    public init(listenHost: String, allowedHosts: [String], allowedOrigins: [String]) {
        listenerIsLoopback = LoopbackHost.contains(listenHost)
        self.allowedHosts = Set(allowedHosts.map { Self.hostName($0) })
        self.allowedOrigins = Set(allowedOrigins.map { $0.lowercased() })
    }

    /// `authority` is the request's Host; `extraHosts` how many more Host
    /// fields it carried; `origin` its Origin header.
    public func check(authority: String?, extraHosts: Int, origin: String?) -> Refusal? {
        guard extraHosts == 0 else { return .duplicateHost }
        guard let authority, !authority.isEmpty else { return .missingHost }
        let host = Self.hostName(authority)
        if !allowsHost(host) { return .hostNotAllowed(host: authority) }
        if let origin, !allows(origin: origin) { return .originNotAllowed(origin: origin) }
        return nil
    }

    public func allows(origin: String) -> Bool { allowedOrigins.contains(origin.lowercased()) }

    private func allowsHost(_ host: String) -> Bool {
        if LoopbackHost.contains(host) || allowedHosts.contains(host) { return true }
        if listenerIsLoopback { return false }
        return allowedHosts.isEmpty || Self.isAddressLiteral(host)
    }

    /// "Host:8088" -> "host", "[::1]:8088" -> "::1", lower-cased.
    static func hostName(_ authority: String) -> String {
        let text = authority.lowercased()
        let bytes = text.utf8
        // Byte searches (the delimiters are ASCII, so every index found is a character boundary): this runs per request.
        if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
            return String(text[bytes.index(after: bytes.startIndex)..<close])
        }
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")), bytes.firstIndex(of: UInt8(ascii: ":")) == colon,
            bytes[bytes.index(after: colon)...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        {
            return String(text[..<colon])
        }
        return text
    }

    private static func isAddressLiteral(_ host: String) -> Bool {
        if host.contains(":") { return host.allSatisfy { $0 == ":" || $0 == "." || $0.isHexDigit } }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
    }
}

/// A client-sent value echoed in an error: printable ASCII only, and short.
enum ClientText {
    static func printable(_ text: String) -> String {
        let printable = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7f }.map(Character.init))
        return printable.count > 100 ? String(printable.prefix(100)) + "..." : printable
    }
}
