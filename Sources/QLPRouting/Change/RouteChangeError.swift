/// Why a route change was refused, in words an operator can act on: what was
/// wrong and, for an unknown name, the names that exist.
public struct RouteChangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A route, target or rule the change names does not exist (the admin API answers 404).
        case notFound
        /// The change is well-formed but not allowed (400/422).
        case invalid
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func unknownRoute(_ name: String, in table: RouteTable) -> RouteChangeError {
        RouteChangeError(.notFound, "no route named '\(name)'; routes: \(list(table.routes.map(\.name)))")
    }

    static func unknownTarget(_ name: String, in table: RouteTable) -> RouteChangeError {
        RouteChangeError(.notFound, "no target named '\(name)'; targets: \(list(table.targets.map(\.name)))")
    }

    static func unknownRule(_ name: String, in table: RouteTable) -> RouteChangeError {
        RouteChangeError(.notFound, "no budget rule named '\(name)'; rules: \(list(table.budgetRules.map(\.name)))")
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
