/// A problem with a config file, located precisely enough to fix it without
/// searching: file, line, column and the dotted key path.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Dotted path of the key, e.g. `budget.allocation.compute.amount`.
    public var key: String?
    public var message: String
    /// What fixes it, where that is more than editing the value at `line`.
    public var fix: Fix?

    /// A fix outside the file.
    public enum Fix: Sendable, Equatable {
        /// The value is `${NAME}` and NAME is not set in qlp's environment.
        case setEnvironmentVariable(String)
    }

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String, fix: Fix? = nil) {
        self.fix = fix
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// "config/qlp.yaml:42:7: budget.total: ..." — the compiler's format, which
    /// editors and terminals turn into links.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        if let key { return "\(location): \(key): \(message)" }
        return "\(location): \(message)"
    }
}

/// Several problems found in one pass, so a user fixes them all at once.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
