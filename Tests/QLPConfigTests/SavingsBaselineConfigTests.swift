import Foundation
import QLPConfig
import QLPCore
import Testing

/// `routing.savings_baseline`: route -> the target the report's routing
/// savings price that route at; each error names file, line and key.
@Suite struct SavingsBaselineConfigTests {
    /// RoutingConfigTests' valid routing section (its last line is index 43),
    /// then these lines from index 44.
    static func lines(_ baseline: [String]) -> [String] { RoutingConfigTests.lines + baseline }

    @Test func parsesRouteToTarget() throws {
        let config = try ConfigFixture.outcome(Self.lines(["  savings_baseline:", "    chat: gpt4"])).get()
        #expect(config.routing?.savingsBaseline == ["chat": "gpt4"])
    }

    @Test func aTargetOutsideTheRouteIsAllowed() throws {
        // "Had it all gone to phi": phi is only chat's fallback, and any target may be the baseline.
        let config = try ConfigFixture.outcome(Self.lines(["  savings_baseline: {chat: phi}"])).get()
        #expect(config.routing?.savingsBaseline == ["chat": "phi"])
    }

    @Test func absentMeansNoneConfigured() throws {
        let config = try ConfigFixture.outcome(RoutingConfigTests.lines).get()
        #expect(config.routing?.savingsBaseline == [:])
    }

    @Test func unknownRouteNamesItsKeyAndLine() throws {
        let found = ConfigFixture.errors(Self.lines(["  savings_baseline:", "    chat: gpt4", "    chats: gpt4"]))
        #expect(found.count == 1, "\(found)")
        let error = try #require(found.first)
        #expect(error.file == "azure.yaml")
        #expect(error.line == ConfigFixture.line(46))
        #expect(error.key == "routing.savings_baseline.chats")
        #expect(error.message.contains("no route named 'chats'") && error.message.contains("chat"), "\(error.message)")
    }

    @Test func unknownTargetNamesItsKeyAndLine() throws {
        let found = ConfigFixture.errors(Self.lines(["  savings_baseline:", "    chat: gpt5"]))
        #expect(found.count == 1, "\(found)")
        let error = try #require(found.first)
        #expect(error.line == ConfigFixture.line(45))
        #expect(error.key == "routing.savings_baseline.chat")
        #expect(error.message.contains("no target named 'gpt5'") && error.message.contains("gpt4, llama3, phi"), "\(error.message)")
    }

    @Test func notAMappingIsRefused() throws {
        let found = ConfigFixture.errors(Self.lines(["  savings_baseline: gpt4"]))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.key == "routing.savings_baseline")
        #expect(found.first?.line == ConfigFixture.line(44))
    }

    /// The example config's commented savings_baseline, uncommented, is valid.
    @Test func theExampleParsesWhenUncommented() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/qlp.yaml")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "  # savings_baseline:"))
        // The key and its indented entries; the comment after them stays a comment.
        var end = start + 1
        while end < lines.count, lines[end].hasPrefix("  #   ") { end += 1 }
        for i in start..<end { lines[i] = "  " + lines[i].dropFirst(4) }
        let config = try ConfigParser(environment: ["HOME": "/home/tester"], requireAzure: false)
            .parse(yaml: lines.joined(separator: "\n"), file: "qlp.yaml")
        #expect(config.routing?.savingsBaseline == ["chat": "gpt4", "code": "gpt4"])
    }
}
