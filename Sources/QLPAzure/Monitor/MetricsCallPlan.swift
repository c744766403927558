import QLPCore

/// The parts of an ARM resource ID that decide how its metrics are read.
public enum AzureResourceID {
    /// The subscription: /subscriptions/{this}/...
    public static func subscription(of id: String) -> String? {
        let parts = id.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0].lowercased() == "subscriptions" else { return nil }
        return parts[1]
    }

    /// The resource type, nested types included: .../providers/Microsoft.Sql/servers/s/databases/d
    /// is Microsoft.Sql/servers/databases, the metric namespace Azure Monitor files it under.
    public static func type(of id: String) -> String? {
        let parts = id.split(separator: "/").map(String.init)
        guard let providers = parts.lastIndex(where: { $0.lowercased() == "providers" }), providers + 3 <= parts.count else { return nil }
        let rest = parts[(providers + 1)...]
        // {namespace}/{type}/{name}[/{type}/{name}]...
        guard rest.count >= 3, rest.count % 2 == 1 else { return nil }
        let types = stride(from: rest.startIndex + 1, to: rest.endIndex, by: 2).map { rest[$0] }
        return ([rest[rest.startIndex]] + types).joined(separator: "/")
    }
}

/// One call (or one batch of calls) the metrics poller makes.
public enum MetricsCall: Sendable, Equatable {
    /// Azure Monitor at the resource's own scope.
    case single(resource: Int)
    /// The regional batch API for resources of one type, region and metric
    /// list (the client splits more than 50 into several calls).
    case batch(region: String, subscriptionID: String, namespace: String, metrics: [String], resources: [Int])
}

/// Which resources can share a batch call: the batch API takes resources of
/// one subscription, region and metric namespace, asked for the same metrics
/// (with the same aggregation and filter).
/// A resource without a known region, or alone in its group, is asked alone.
public enum MetricsCallPlan {
    public static func calls(for resources: [MonitorSettings.Resource], defaultRegion: String?) -> [MetricsCall] {
        struct Key: Hashable {
            var region: String
            var subscription: String
            var namespace: String
            var metrics: [String]
            var aggregation: String?
            var filter: String?
        }
        var groups: [Key: [Int]] = [:]
        var order: [Key] = []
        var singles: [Int] = []
        for (index, resource) in resources.enumerated() {
            guard let region = (resource.region ?? defaultRegion)?.lowercased(),
                let subscription = AzureResourceID.subscription(of: resource.id),
                let namespace = resource.namespace ?? AzureResourceID.type(of: resource.id)
            else {
                singles.append(index)
                continue
            }
            let key = Key(
                region: region, subscription: subscription.lowercased(), namespace: namespace.lowercased(),
                metrics: resource.metrics.map { $0.lowercased() }, aggregation: resource.aggregation?.lowercased(),
                filter: resource.filter)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        var calls: [(first: Int, call: MetricsCall)] = singles.map { ($0, .single(resource: $0)) }
        for key in order {
            let members = groups[key]!
            if members.count == 1 {
                calls.append((members[0], .single(resource: members[0])))
            } else {
                let first = resources[members[0]]
                calls.append(
                    (
                        members[0],
                        .batch(
                            region: key.region, subscriptionID: AzureResourceID.subscription(of: first.id)!,
                            namespace: first.namespace ?? AzureResourceID.type(of: first.id)!,
                            metrics: first.metrics, resources: members)
                    ))
            }
        }
        return calls.sorted { $0.first < $1.first }.map(\.call)
    }
}
