import Foundation
import QLPRouting

/// What a store does with the config file's routing when a process starts:
/// the one rule both the SQLite and the Redis store follow (see
/// ``SQLiteRouteStore`` for why).
public enum RouteSeeding: Equatable, Sendable {
    /// Nothing stored yet: store the file's table as version 1.
    case first(RouteTable, RouteAuditDraft)
    /// The file is unchanged since the last start (or its edit changes nothing live): serve the stored table.
    case keep(RouteTable)
    /// The file was edited since the last start: commit its edit on top of the live table.
    case edit(RouteTable, RouteAuditDraft)

    /// The config's routing as last seeded: its digest and its table.
    public struct Seed: Equatable, Sendable {
        public var digest: String
        public var table: RouteTable

        public init(digest: String, table: RouteTable) {
            self.digest = digest
            self.table = table
        }
    }

    /// - Parameters:
    ///   - live: the newest stored table, nil before the first start.
    ///   - seed: what the last start remembered of the file; nil (a store from before seeds were kept)
    ///     counts as "file unchanged since": only what exists only in the file (targets, rules) is taken up.
    public static func decide(
        live: RouteTable?, seed: Seed?, configTable: RouteTable, configDigest: String,
        at now: Date
    ) -> RouteSeeding {
        guard let live else {
            var first = configTable
            first.version = 1
            return .first(
                first,
                RouteAuditDraft(
                    at: now, actor: "config", action: .seed,
                    summary: "seeded from the config file: routes \(first.routes.map(\.name).joined(separator: ", ")); "
                        + "\(first.targets.count) targets"))
        }
        if let seed, seed.digest == configDigest { return .keep(live) }
        let merged = ConfigEditMerge.merge(base: seed?.table ?? configTable, edited: configTable, live: live)
        guard !merged.summary.isEmpty else { return .keep(live) }
        var next = merged.table
        next.version = live.version + 1
        return .edit(
            next,
            RouteAuditDraft(
                at: now, actor: "config", action: .configEdit, summary: "config file edited: " + merged.summary,
                reason: "the config file's routing changed since the last start"))
    }
}
