import Foundation
import Testing

/// The repository, found from this test file's own path.
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("docs/metrics.md names every metric the gateway exposes")
struct MetricsReferenceTests {
    /// Every metric is declared through GatewayMetrics.name(_:unit:help:) in
    /// one file; each declared name, as Prometheus spells it
    /// (qlp_gateway_<name>_<unit>), must be in the reference.
    @Test func everyDeclaredMetricIsDocumented() throws {
        let source = try String(
            contentsOf: repository.appendingPathComponent("Sources/QLPGateway/Metrics/GatewayMetrics.swift"),
            encoding: .utf8)
        let reference = try String(contentsOf: repository.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
        let declaration = try Regex(#"name\(\s*"([a-z0-9_]+)",\s*unit:\s*"([a-z]*)""#)
        let names = source.matches(of: declaration).map { match in
            let metric = String(match.output[1].substring ?? "")
            let unit = String(match.output[2].substring ?? "")
            return (["qlp", "gateway", metric] + (unit.isEmpty ? [] : [unit])).joined(separator: "_")
        }
        #expect(names.count >= 15, "found only \(names.count) declarations: has GatewayMetrics.name changed shape?")
        let missing = Set(names).filter { !reference.contains("`\($0)`") }.sorted()
        #expect(missing.isEmpty, "docs/metrics.md does not document: \(missing.joined(separator: ", "))")
    }
}
