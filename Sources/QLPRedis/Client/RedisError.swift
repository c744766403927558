/// What went wrong talking to Redis, always naming the server. Commands are named by their first word
/// only: arguments can hold secrets (AUTH) or customer data.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Connect refused or timed out, name not resolved, TLS handshake failed.
    case unreachable(address: String, detail: String)
    case connectionLost(address: String, detail: String)
    case timeout(address: String, command: String)
    /// An error reply (-ERR, -WRONGPASS, -NOSCRIPT...).
    case server(address: String, message: String)
    case protocolViolation(address: String, detail: String)

    public var address: String {
        switch self {
        case .unreachable(let address, _), .connectionLost(let address, _), .timeout(let address, _),
            .server(let address, _), .protocolViolation(let address, _):
            address
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let address, let detail): "Redis at \(address): cannot connect: \(detail)"
        case .connectionLost(let address, let detail): "Redis at \(address): connection lost: \(detail)"
        case .timeout(let address, let command): "Redis at \(address): no reply to \(command) within the command timeout"
        case .server(let address, let message): "Redis at \(address): \(message)"
        case .protocolViolation(let address, let detail): "Redis at \(address): protocol violation: \(detail)"
        }
    }

    /// The word a timeout names: the command, never its arguments.
    static func commandName(_ arguments: [String]) -> String {
        (arguments.first ?? "").uppercased()
    }
}
