/// The checked parts of an ``SMTPServer/url``.
///
/// Checked before libcurl sees it so that a URL carrying credentials, or
/// naming another protocol, fails with a clear error instead of being used.
struct SMTPServerURL: Equatable {
    /// "smtp" or "smtps", lower case.
    let scheme: String
    /// The host as written, IPv6 literals with their brackets.
    let host: String
    let port: Int

    /// `scheme://host:port`.
    var endpoint: String { "\(scheme)://\(host):\(port)" }

    /// Why a URL was not taken; the text never repeats the URL, which may
    /// hold a password in its user info.
    struct Problem: Error, Equatable {
        let reason: String
    }

    static func isImplicitTLS(_ url: String) -> Bool {
        url.lowercased().hasPrefix("smtps://")
    }

    static func parse(_ url: String) throws(Problem) -> SMTPServerURL {
        guard url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw Problem(reason: "the URL must be printable ASCII without spaces")
        }
        guard let separator = url.firstRange(of: "://") else {
            throw Problem(reason: "the URL must start with smtp:// or smtps://")
        }
        let scheme = url[..<separator.lowerBound].lowercased()
        let defaultPort: Int
        switch scheme {
        case "smtp": defaultPort = 25
        case "smtps": defaultPort = 465
        default: throw Problem(reason: "the URL must start with smtp:// or smtps://")
        }
        let rest = url[separator.upperBound...]
        guard !rest.contains("?"), !rest.contains("#") else {
            throw Problem(reason: "the URL must have no query or fragment")
        }
        let authority = rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)]
        guard !authority.contains("@") else {
            throw Problem(reason: "credentials belong in username and password, not in the URL")
        }
        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Problem(reason: "the IPv6 host has no closing ]") }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Problem(reason: "text after the IPv6 host is not a port") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty, host != "[]" else { throw Problem(reason: "the URL names no host") }
        var port = defaultPort
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCIIDigit),
                let number = Int(portText), (1...65535).contains(number)
            else {
                throw Problem(reason: "the port must be a number from 1 to 65535")
            }
            port = number
        }
        return SMTPServerURL(scheme: scheme, host: String(host), port: port)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
