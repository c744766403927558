// One dashboard poll cycle at scale, against the emulator on loopback:
// 1,000 Azure Monitor metric series (250 container groups x 4 metrics, through
// the batch API, 50 resources a call) and a Cost Management query of 10 pages,
// at the same time, through the same ThrottlingTransport the dashboard uses.
// Prints each cycle's wall time and the most requests (hence connections) the
// emulator saw at once.
//
//   swift run -c release azure-poll-benchmark [cycles]
//
// A benchmark, not a test: compare figures from one run, on one machine.
import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPHTTP

let cycles = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 5 : 5
let groups = (0..<250).map { EmulatedResource.containerGroup("bench-\($0)", scale: 0.5 + Double($0 % 10) / 10) }
let now = Date()
let firstDay = CivilDate(now, in: TimeZone(identifier: "UTC")!).firstOfMonth.adding(months: -1)
let world = CostWorld(seed: 42, firstDay: firstDay)
let rows = world.rows(from: firstDay, to: CivilDate(now, in: TimeZone(identifier: "UTC")!), at: now).count
var configuration = EmulatorConfiguration(world: world, costPageSize: (rows + 9) / 10)
configuration.resources = groups
let emulator = AzureEmulator(configuration: configuration)
let base = try await emulator.start()

let curl = CurlTransport(maxConcurrentTransfers: 16)
// The standard per-host limits; Cost Management's per-minute budget is lifted
// because several cycles a minute would exceed it (the emulator has no quota).
let transport = ThrottlingTransport(wrapping: curl, policy: ThrottlingPolicy(costManagementBudgetPerMinute: 1000))
let credential = ClientSecretCredential(
    authority: base, tenantID: configuration.tenantID, clientID: configuration.clientID,
    clientSecret: Secret(configuration.clientSecret), transport: transport)
let tokens = TokenCache(source: credential)
let cost = CostManagementClient(
    transport: transport, tokens: tokens, management: base,
    tokenScope: AzureEndpoints.publicCloud.managementScope)
let monitor = MonitorMetricsClient(transport: transport, tokens: tokens, management: base)
let ids = groups.map { $0.id(subscriptionID: configuration.subscriptionID) }
let names = ["CpuUsage", "MemoryUsage", "NetworkBytesReceivedPerSecond", "NetworkBytesTransmittedPerSecond"]
let scope = "subscriptions/\(configuration.subscriptionID)"
let today = CivilDate(now, in: TimeZone(identifier: "UTC")!)

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

// Sign in once, outside the measured cycles.
_ = try await tokens.token(for: AzureEndpoints.publicCloud.managementScope)
_ = try await tokens.token(for: MonitorMetricsClient.batchScope)

var times: [Double] = []
for cycle in 1...cycles {
    emulator.statistics.reset()
    let start = ContinuousClock.now
    async let metrics = monitor.batch(
        endpoint: base, subscriptionID: configuration.subscriptionID, resourceIDs: ids,
        namespace: "Microsoft.ContainerInstance/containerGroups", names: names, interval: "PT5M",
        start: now.addingTimeInterval(-3 * 3600), end: now)
    async let costs = cost.dailyCostsByService(scope: scope, from: firstDay, to: today)
    let (batch, query) = try await (metrics, costs)
    let elapsed = seconds(ContinuousClock.now - start)
    times.append(elapsed)
    let series = batch.values.reduce(0) { $0 + $1.value.reduce(0) { $0 + $1.timeseries.count } }
    print(
        String(
            format:
                "cycle %d: %.3f s — %d metric series in %d batch calls, %d cost rows in %d pages, peak %d connections (%d requests in flight)",
            cycle, elapsed, series, emulator.statistics.requests(to: .metricsBatch), query.costs.count, query.pages,
            emulator.statistics.maxConcurrentConnections, emulator.statistics.maxConcurrentRequests))
}
let sorted = times.sorted()
print(
    String(
        format: "median cycle %.3f s (min %.3f, max %.3f); limit %d requests per host", sorted[sorted.count / 2], sorted.first!,
        sorted.last!, transport.policy.maxConcurrentPerHost))

// The same 1,000 series one resource at a time, for comparison.
emulator.statistics.reset()
let start = ContinuousClock.now
try await withThrowingTaskGroup(of: Int.self) { group in
    for id in ids {
        group.addTask {
            try await monitor.metrics(resourceID: id, names: names, interval: "PT5M", timespan: (now.addingTimeInterval(-3 * 3600), now))
                .value.count
        }
    }
    var total = 0
    for try await n in group { total += n }
    print(
        String(
            format: "per-resource calls instead: %d series in %d calls, %.3f s, peak %d connections", total,
            emulator.statistics.requests(to: .metrics), seconds(ContinuousClock.now - start),
            emulator.statistics.maxConcurrentConnections))
}
curl.shutdown()
await emulator.stop()
