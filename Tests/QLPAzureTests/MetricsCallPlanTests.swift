import QLPAzure
import QLPCore
import Testing

@Suite struct MetricsCallPlanTests {
    static func id(_ type: String, _ name: String, subscription: String = "s1") -> String {
        "/subscriptions/\(subscription)/resourceGroups/rg/providers/\(type)/\(name)"
    }

    @Test func resourceTypesIncludeNestedTypes() {
        #expect(
            AzureResourceID.type(of: Self.id("Microsoft.ContainerService/managedClusters", "aks"))
                == "Microsoft.ContainerService/managedClusters")
        #expect(
            AzureResourceID.type(of: Self.id("Microsoft.Sql/servers", "qlp-sql/databases/quantumlayer"))
                == "Microsoft.Sql/servers/databases")
        #expect(AzureResourceID.type(of: "/subscriptions/s1/resourceGroups/rg") == nil)
        #expect(AzureResourceID.type(of: Self.id("Microsoft.Web", "sites")) == nil)  // a name is missing
        #expect(AzureResourceID.subscription(of: Self.id("Microsoft.Web/sites", "f")) == "s1")
    }

    @Test func resourcesSharingRegionTypeAndMetricsAreBatched() {
        let aci = "Microsoft.ContainerInstance/containerGroups"
        let metrics = ["CpuUsage", "MemoryUsage"]
        let resources: [MonitorSettings.Resource] = [
            .init(name: "aks", id: Self.id("Microsoft.ContainerService/managedClusters", "aks"), metrics: ["node_cpu_usage_percentage"]),
            .init(name: "workers", id: Self.id(aci, "workers"), metrics: metrics),
            .init(name: "sandbox", id: Self.id(aci, "sandbox"), metrics: ["cpuusage", "memoryusage"]),  // names compare without case
            .init(name: "builder", id: Self.id(aci, "builder"), metrics: ["CpuUsage"]),  // other metrics: alone
            .init(name: "eu", id: Self.id(aci, "eu"), metrics: metrics, region: "westeurope"),  // other region: alone
            .init(name: "other sub", id: Self.id(aci, "x", subscription: "s2"), metrics: metrics),  // other subscription: alone
            .init(name: "fd", id: Self.id("Microsoft.Cdn/profiles", "fd"), metrics: ["RequestCount"], region: "global"),
            .init(name: "workers2", id: Self.id(aci, "workers2"), metrics: metrics, region: "UKSouth"),
        ]
        #expect(
            MetricsCallPlan.calls(for: resources, defaultRegion: "uksouth") == [
                .single(resource: 0),
                .batch(region: "uksouth", subscriptionID: "s1", namespace: aci, metrics: metrics, resources: [1, 2, 7]),
                .single(resource: 3), .single(resource: 4), .single(resource: 5), .single(resource: 6),
            ])
        // Without a region nothing can be batched.
        #expect(MetricsCallPlan.calls(for: Array(resources.prefix(3)), defaultRegion: nil) == [0, 1, 2].map { .single(resource: $0) })
    }
}
