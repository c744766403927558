import Foundation
import QLPCore
import QLPHTTP
import QLPTestSupport
import Testing

/// Issue 16, item 7: a real gateway's /metrics, after traffic that includes a
/// 4xx and a breaker opening, passes `promtool check metrics` (Prometheus's
/// own linter: names, units, HELP/TYPE, counter suffixes), and carries
/// qlp_build_info, the client-facing requests counter and the breaker as
/// one gauge per state.
@Suite(.serialized, .timeLimit(.minutes(2))) struct PrometheusConventionsEndToEndTests {
    static func promtool() -> String? {
        ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func metricsAfterA4xxAndAnOpenBreakerPassPromtool() async throws {
        let promtool = try #require(Self.promtool(), "promtool is missing: scripts/install-deps installs it (Debian package prometheus)")
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let azure = try await EmulatorProcess(scratch: scratch)
        defer { azure.stop() }
        // Nothing listens where Ollama should be: llama3's breaker opens.
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try GatewayProcess.config(
            azure: azure.port, ollama: try freeLoopbackPort(), port: port, adminPort: adminPort,
            scratch: scratch, breaker: "  breaker: {minimum_requests: 2, open_for: 60s}")
        let gateway = try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }
        let client = CurlTransport()
        defer { client.shutdown() }
        func chat(_ model: String) async throws -> Int {
            try await client.send(
                HTTPRequest(
                    method: .post, url: gateway.base + "/v1/chat/completions",
                    headers: ["Content-Type": "application/json"],
                    body: Array(#"{"model":"\#(model)","messages":[{"role":"user","content":"hi"}],"max_tokens":4}"#.utf8),
                    timeout: .seconds(10))
            ).status
        }
        #expect(try await chat("chat") == 200)
        #expect(try await chat("gpt-7") == 404, "an unknown model is the client's 4xx")
        // Pinned to llama3, whose upstream is down: the route's fallbacks answer, and the breaker opens.
        for _ in 0..<4 { #expect(try await chat("llama3") == 200) }
        let metrics = try await client.send(HTTPRequest(url: gateway.base + "/metrics", timeout: .seconds(5))).bodyText
        #expect(metrics.contains(#"qlp_build_info{version="\#(QLPVersion.current)"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"qlp_gateway_requests_total{route="chat",code="200"} 5"#), "\(metrics)")
        #expect(metrics.contains(#"qlp_gateway_requests_total{route="none",code="404"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"qlp_gateway_breaker_state{target="llama3",state="open"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"qlp_gateway_breaker_state{target="llama3",state="closed"} 0"#), "\(metrics)")
        #expect(metrics.contains(#"qlp_gateway_breaker_state{target="llama3",state="half_open"} 0"#), "\(metrics)")

        let file = scratch.path + "/metrics.txt"
        try metrics.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try await Subprocess.run(["/bin/sh", "-c", "'\(promtool)' check metrics < '\(file)'"])
        #expect(check.status == 0, "promtool check metrics:\n\(check.output)\(check.error)")
        #expect(check.output.isEmpty && check.error.isEmpty, "promtool's complaints:\n\(check.output)\(check.error)")
    }
}
