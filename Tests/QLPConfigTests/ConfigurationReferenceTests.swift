import Foundation
import QLPConfig
import Testing

/// The repository, found from this test file's own path.
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("docs/configuration.md names every key the config accepts")
struct ConfigurationReferenceTests {
    /// Each key is written in the reference as its whole dotted path in
    /// backticks (`gateway.breaker.window`), so a key added to a parser's
    /// list without a line in the reference fails here, named.
    @Test func everyAcceptedKeyIsDocumented() throws {
        let reference = try String(contentsOf: repository.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        let missing = ConfigKeys.all.filter { !reference.contains("`\($0)`") }
        #expect(missing.isEmpty, "docs/configuration.md does not document: \(missing.joined(separator: ", "))")
    }

    /// The list the test above walks is not empty or partial: it holds keys
    /// of every section, nested ones included (a sanity check on ConfigKeys).
    @Test func theKeyListReachesEverySectionAndNestedMapping() {
        let all = Set(ConfigKeys.all)
        for key in [
            "fleet.redis_url", "fleet.redis_password", "fleet.redis_ca_file", "fleet.replica_name", "fleet.key_prefix",
            "gateway.admin_token", "gateway.admin_token_name", "gateway.viewer_token", "gateway.viewer_token_name",
            "gateway.breaker.open_for", "gateway.allowed_origins", "dashboard.admin_token", "azure_openai.auth",
            "azure.monitor.log_metrics[].grain", "routing.targets.<name>.latency_slo", "notifications.sinks[].smtp_url",
            "budget.allocation.<category>.services", "mongodb_atlas.admin_api.base_url",
        ] {
            #expect(all.contains(key), "ConfigKeys.all lacks \(key)")
        }
        #expect(all.count == ConfigKeys.all.count, "a key path is listed twice")
    }

    /// A parser that checks a mapping against an inline list of keys would
    /// escape ConfigKeys (and so the reference): every `allowed:` in
    /// Sources/QLPConfig must name one of the parsers' static arrays.
    @Test func noParserChecksKeysAgainstAnInlineList() throws {
        let folder = repository.appendingPathComponent("Sources/QLPConfig")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 5)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("allowed: [\"") {
                Issue.record(
                    "Sources/QLPConfig/\(file):\(index + 1): keys listed inline; make them a static array and add it to ConfigKeys")
            }
        }
    }
}
