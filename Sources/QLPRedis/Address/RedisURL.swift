import QLPCore

/// Where a Redis server is and how to log in: parsed once from the URL in config.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public static let defaultPort = 6379

    public var host: String
    public var port: Int
    public var database: Int
    public var username: String?
    public var password: Secret?
    public var tls: Bool

    public init(
        host: String, port: Int = RedisURL.defaultPort, database: Int = 0,
        username: String? = nil, password: Secret? = nil, tls: Bool = false
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.tls = tls
    }

    /// redis://[user:pass@]host[:port][/db], rediss:// = TLS (default port 6379 either way; Azure uses
    /// rediss://host:6380). IPv6 in brackets. User and password are percent-decoded.
    public init(parsing text: String) throws(RedisURLError) {
        let schemeEnd = text.range(of: "://")
        guard let schemeEnd else {
            throw RedisURLError(problem: "it must start with redis:// or rediss://")
        }
        switch text[..<schemeEnd.lowerBound].lowercased() {
        case "redis": tls = false
        case "rediss": tls = true
        case let other:
            // The scheme cannot hold a password: everything before "://" is safe to show.
            throw RedisURLError(problem: "scheme '\(other)' is not redis:// or rediss://")
        }
        var rest = text[schemeEnd.upperBound...]
        guard !rest.contains("?"), !rest.contains("#") else {
            throw RedisURLError(problem: "query strings and fragments (? and #) are not supported")
        }

        // The user info ends at the last '@': an unencoded '@' in a password still parses.
        username = nil
        password = nil
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user: Substring
            let pass: Substring?
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                pass = userInfo[userInfo.index(after: colon)...]
            } else {
                user = userInfo
                pass = nil
            }
            guard let decodedUser = Self.percentDecoded(user) else {
                throw RedisURLError(problem: "the user name has an invalid percent escape")
            }
            if let pass {
                guard let decodedPassword = Self.percentDecoded(pass) else {
                    throw RedisURLError(problem: "the password has an invalid percent escape")
                }
                if !decodedPassword.isEmpty { password = Secret(decodedPassword) }
            }
            if !decodedUser.isEmpty { username = decodedUser }
            if username != nil, password == nil {
                throw RedisURLError(problem: "user '\(decodedUser)' has no password (redis://user:password@host)")
            }
        }

        let hostAndPort: Substring
        if let slash = rest.firstIndex(of: "/") {
            hostAndPort = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if path.isEmpty {
                database = 0
            } else if let number = Int(path), number >= 0 {
                database = number
            } else {
                throw RedisURLError(problem: "the database after '/' must be a number 0 or more (got '\(path)')")
            }
        } else {
            hostAndPort = rest
            database = 0
        }

        let portText: Substring?
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else {
                throw RedisURLError(problem: "IPv6 address '\(hostAndPort)' has no closing ']'")
            }
            host = String(hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close])
            let after = hostAndPort[hostAndPort.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else {
                throw RedisURLError(problem: "unexpected '\(after)' after the IPv6 address")
            }
        } else if let colon = hostAndPort.firstIndex(of: ":") {
            host = String(hostAndPort[..<colon])
            portText = hostAndPort[hostAndPort.index(after: colon)...]
        } else {
            host = String(hostAndPort)
            portText = nil
        }
        guard !host.isEmpty else { throw RedisURLError(problem: "the host is missing") }
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw RedisURLError(problem: "the port must be a number from 1 to 65535 (got '\(portText)')")
            }
            port = number
        } else {
            port = Self.defaultPort
        }
    }

    /// "127.0.0.1:6379" or "host:6380 (TLS)": what error messages name.
    public var address: String {
        "\(bracketedHost):\(port)" + (tls ? " (TLS)" : "")
    }

    /// redis://user:***@host:port/db: the URL without the password.
    public var description: String {
        var userInfo = ""
        if username != nil || password != nil {
            userInfo = (username.map(Self.percentEncoded) ?? "") + (password != nil ? ":***" : "") + "@"
        }
        return "\(tls ? "rediss" : "redis")://\(userInfo)\(bracketedHost):\(port)/\(database)"
    }

    private var bracketedHost: String { host.contains(":") ? "[\(host)]" : host }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.next().flatMap(hexValue), let low = utf8.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The user name as it would be written back into a URL (so the description parses again).
    private static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80,
                scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-._~".unicodeScalars.contains(scalar)
            {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

/// What is wrong with a Redis URL. It never quotes the password (nor the URL, which holds it).
public struct RedisURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problem: String
    public init(problem: String) { self.problem = problem }
    public var description: String { "invalid Redis URL: \(problem)" }
}
