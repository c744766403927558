import Foundation
import QLPAzure

/// Each watched resource's metric definitions, read once per run: they say
/// what a metric's numbers are (unit, primary aggregation, and the
/// description that names millicores or "per second" where the unit is
/// generic). A resource whose definitions could not be read is asked again
/// at the next refresh; until then its rows use the unit in the metrics answer.
final class MetricDefinitionBook: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [String: [MetricDefinition]] = [:]

    /// The definitions read so far for a resource ID (compared without case, as ARM does).
    func definitions(for resourceID: String) -> [MetricDefinition]? {
        lock.lock()
        defer { lock.unlock() }
        return known[resourceID.lowercased()]
    }

    func record(_ definitions: [MetricDefinition], for resourceID: String) {
        lock.lock()
        defer { lock.unlock() }
        known[resourceID.lowercased()] = definitions
    }

    /// The definition of one metric of a resource, if read.
    func definition(of metric: String, for resourceID: String) -> MetricDefinition? {
        definitions(for: resourceID)?.first { $0.name.value.caseInsensitiveCompare(metric) == .orderedSame }
    }
}
