import QLPRouting

/// A `:` command, parsed. Bad input is an error naming what was wrong, shown
/// in the command line; nothing typed there can crash the dashboard.
public enum DashboardCommand: Sendable, Equatable {
    case show(DashboardView)
    case theme(String)
    case refresh(Duration)
    case route(name: String, weights: [Route.Share])
    /// `:rule suspend NAME` / `:rule resume NAME`: a budget routing rule.
    case rule(name: String, suspended: Bool)
    case quit

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Command words other than the view names, for completion and help.
    public static let verbs = ["theme", "refresh", "route", "rule", "q", "quit"]

    public static var names: [String] { DashboardView.allCases.map(\.commandName) + verbs }

    /// Shortest and longest `:refresh` interval: faster than a second only
    /// burns bandwidth, slower than an hour is not live.
    public static let refreshRange: ClosedRange<Int> = 1...3600

    public static func parse(_ line: String) throws(ParseError) -> DashboardCommand {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let verb = words.first?.lowercased() else { throw ParseError("empty command") }
        let arguments = Array(words.dropFirst())
        if let view = DashboardView.named(verb) {
            guard arguments.isEmpty else { throw ParseError(":\(verb) takes no arguments") }
            return .show(view)
        }
        switch verb {
        case "q", "quit":
            return .quit
        case "theme":
            guard arguments.count == 1 else { throw ParseError("usage: :theme NAME") }
            return .theme(arguments[0])
        case "refresh":
            guard arguments.count == 1 else { throw ParseError("usage: :refresh 5s (1s to 1h)") }
            return .refresh(try interval(arguments[0]))
        case "route":
            guard arguments.count >= 2 else { throw ParseError("usage: :route ROUTE target=weight …") }
            var weights: [Route.Share] = []
            for pair in arguments.dropFirst() {
                let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, let weight = Int(parts[1]) else {
                    throw ParseError("'\(pair)' is not target=weight (such as gpt4=40)")
                }
                weights.append(Route.Share(target: String(parts[0]), weight: weight))
            }
            return .route(name: arguments[0], weights: weights)
        case "rule":
            guard arguments.count == 2, ["suspend", "resume"].contains(arguments[0].lowercased()) else {
                throw ParseError("usage: :rule suspend|resume RULE")
            }
            return .rule(name: arguments[1], suspended: arguments[0].lowercased() == "suspend")
        default:
            throw ParseError("unknown command ':\(verb)' (Tab after : lists the commands)")
        }
    }

    /// "5s", "2m", "1h" or plain seconds.
    static func interval(_ text: String) throws(ParseError) -> Duration {
        var digits = text.lowercased()
        var unit = 1
        if let last = digits.last, !last.isNumber {
            switch last {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            default: throw ParseError("'\(text)' is not an interval such as 5s, 2m or 1h")
            }
            digits.removeLast()
        }
        guard let count = Int(digits), count > 0, count <= refreshRange.upperBound else {
            throw ParseError("'\(text)' is not an interval such as 5s, 2m or 1h")
        }
        let seconds = count * unit
        guard refreshRange.contains(seconds) else { throw ParseError("refresh must be between 1s and 1h, not \(text)") }
        return .seconds(seconds)
    }
}

/// Tab completion for the command line: command words, then view, theme,
/// route and target names, from what the dashboard knows now.
public struct CommandCompletion: Sendable {
    public var themeNames: [String]
    public var table: RouteTable?

    public init(themeNames: [String], table: RouteTable?) {
        self.themeNames = themeNames
        self.table = table
    }

    /// The candidates for the word being typed (the line's last word).
    public func candidates(for line: String) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let current = words.last ?? ""
        let before = words.dropLast().filter { !$0.isEmpty }
        let options: [String]
        if before.isEmpty {
            options = DashboardCommand.names.filter { $0 != "q" && ($0 != "theme" || !themeNames.isEmpty) }
        } else {
            switch before[0].lowercased() {
            case "theme" where before.count == 1: options = themeNames
            case "refresh" where before.count == 1: options = ["1s", "2s", "5s", "10s", "30s", "1m"]
            case "route" where before.count == 1: options = table?.routes.map(\.name) ?? []
            case "rule" where before.count == 1: options = ["suspend", "resume"]
            case "rule" where before.count == 2: options = table?.budgetRules.map(\.name) ?? []
            case "route":
                let used = Set(before.dropFirst(2).compactMap { $0.split(separator: "=").first.map(String.init) })
                let route = table?.route(named: before[1])
                let targets = (route?.targetNames ?? []) + (table?.targets.map(\.name) ?? [])
                var seen: Set<String> = []
                options = targets.filter { !used.contains($0) && seen.insert($0).inserted }.map { $0 + "=" }
            default: options = []
            }
        }
        return options.filter { $0.lowercased().hasPrefix(current.lowercased()) }
    }

    /// The line with its last word completed: whole (plus a space) when one
    /// candidate fits, to the candidates' common prefix otherwise.
    public func complete(_ line: String) -> (line: String, candidates: [String]) {
        let found = candidates(for: line)
        guard !found.isEmpty else { return (line, []) }
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.isEmpty { words = [""] }
        if found.count == 1 {
            let word = found[0]
            words[words.count - 1] = word
            return (words.joined(separator: " ") + (word.hasSuffix("=") ? "" : " "), found)
        }
        var prefix = found[0]
        for candidate in found.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        if prefix.count > words[words.count - 1].count { words[words.count - 1] = prefix }
        return (words.joined(separator: " "), found)
    }
}
