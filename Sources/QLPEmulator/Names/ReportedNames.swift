import Synchronization

/// The names the emulator reports for its services and budgets, with any a
/// test has changed: `qlp emulate --resource-name OLD=NEW`, the admin API's
/// /_emulator/names, or `AzureEmulator.names`. A test gives a resource a
/// hostile name (escape sequences, C1 controls) and watches what a client
/// makes of it, knowing the name came over the wire and from nowhere else.
///
/// Renamed where the emulator reports a name as a name:
/// - Cost Management query rows: the ServiceName column, and ServiceName
///   filters match the reported name (as Azure only knows the current one);
/// - budgets (Consumption and Cost Management): `name` and the `id`'s last
///   segment; GET of one budget finds it by its reported name.
///
/// Azure Monitor resources are not renamed: a resource's name there is part
/// of its ID, which the client already holds from its own config and asks for.
public final class ReportedNames: Sendable {
    private let renames: Mutex<[String: String]>

    /// - Parameter renames: the emulator's own name (e.g. "Event Grid") → the name to report.
    public init(_ renames: [String: String] = [:]) {
        self.renames = Mutex(renames)
    }

    /// Reports `old` as `new` from now on (a later rename of the same name wins).
    public func rename(_ old: String, to new: String) {
        renames.withLock { $0[old] = new }
    }

    /// Reports `old` under its own name again.
    public func restore(_ old: String) { _ = renames.withLock { $0.removeValue(forKey: old) } }

    public func restoreAll() { renames.withLock { $0.removeAll() } }

    /// Every rename in force: own name → reported name.
    public var all: [String: String] { renames.withLock { $0 } }

    /// The name to report for `name`.
    public func reported(_ name: String) -> String {
        renames.withLock { $0[name] } ?? name
    }
}
