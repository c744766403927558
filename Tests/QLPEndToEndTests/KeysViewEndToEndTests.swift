import Foundation
import QLPHTTP
import QLPTestSupport
import Testing

/// Issue 13, acceptance 5: the Keys view at 80x24 in tmux shows the keys,
/// spend and limits; `/` filters. `qlp demo` runs the gateway in its own
/// process, with the demo's keys (web-app, code-assistant, batch-jobs) in its
/// key store and their spend in its ledger, and the view reads that gateway's
/// key gate.
@Suite struct KeysViewEndToEndTests {
    static let repoConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/qlp.yaml").standardized.path

    func environment(_ scratch: ScratchDirectory) -> [String: String] {
        [
            "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config",
            "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC",
        ]
    }

    static func row(_ name: String, in screen: String) -> Substring? {
        screen.split(separator: "\n").first { $0.hasPrefix(" \(name) ") && !$0.contains(" · ") }
    }

    @Test func theDemosKeysShowWithSpendAndLimitsAndSlashFilters() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) demo --emulator-port \(try freeLoopbackPort())", width: 80, height: 24,
            environment: environment(scratch))
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) { $0.contains("AZURE CREDITS") }
        try await tmux.send("8")
        let screen = try await tmux.waitFor("the demo's three keys") {
            $0.contains("3 keys") && Self.row("web-app", in: $0) != nil && Self.row("batch-jobs", in: $0) != nil
        }
        #expect(screen.contains("8 Keys"), "\(screen)")
        for column in ["NAME", "STATE", "SPENT", "BUDGET", "USED", "REQ", "RPM", "TPM"] {
            #expect(screen.contains(column), "\(column) in:\n\(screen)")
        }
        // Spend against the budget, and the limits: web-app's RPM, code-assistant's TPM.
        let web = try #require(Self.row("web-app", in: screen), "\(screen)")
        #expect(web.contains("active") && web.contains("£250.00/mo") && web.contains("/1.2k") && web.contains("%"), "\(web)")
        #expect(web.split(separator: "£").count == 3, "spent and budget: \(web)")
        let code = try #require(Self.row("code-assistant", in: screen), "\(screen)")
        #expect(code.contains("£200.00/mo") && code.contains("/2M"), "\(code)")
        let batch = try #require(Self.row("batch-jobs", in: screen), "\(screen)")
        #expect(batch.contains("£60.00/mo"), "\(batch)")
        #expect(!screen.contains("…"), "nothing is cut:\n\(screen)")
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })

        try await tmux.send("/", "c", "o", "d", "e")
        try await tmux.send("Enter")
        let filtered = try await tmux.waitFor("the filter") { $0.contains("filter: code") }
        #expect(Self.row("code-assistant", in: filtered) != nil, "\(filtered)")
        #expect(Self.row("web-app", in: filtered) == nil && Self.row("batch-jobs", in: filtered) == nil, "\(filtered)")
        #expect(filtered.contains("code-assistant (key store) · active"), "its detail under the table:\n\(filtered)")
        #expect(filtered.contains("routes allowed: code"), "\(filtered)")
        try await tmux.send("/", "x", "y", "z", "Enter")
        try await tmux.waitFor("nothing matching") { $0.contains("no key matches 'codexyz'") }
        try await tmux.send("q")
    }

    /// Keys listed in the config join the store's, and a request made with one is counted.
    @Test func configKeysShowBesideTheDemosAndARequestIsCounted() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let original = try String(contentsOfFile: Self.repoConfig, encoding: .utf8)
        try #require(original.contains("  client_key_sha256: []\n"), "config/qlp.yaml's client keys changed shape; update this test")
        let one = try await GatewayEndToEndTests.sha256Hex("sk-keys-view-one")
        let two = try await GatewayEndToEndTests.sha256Hex("sk-keys-view-two")
        let path = scratch.path + "/qlp.yaml"
        try original.replacingOccurrences(of: "  client_key_sha256: []\n", with: "  client_key_sha256: [\"\(one)\", \"\(two)\"]\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let gatewayPort = try freeLoopbackPort()
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) demo --config \(path) --emulator-port \(try freeLoopbackPort()) "
                + "--gateway-port \(gatewayPort)",
            width: 80, height: 24, environment: environment(scratch))
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) { $0.contains("AZURE CREDITS") }
        try await tmux.send("8")
        let listed = try await tmux.waitFor("the config's keys beside the demo's") {
            $0.contains("5 keys") && Self.row("config-1", in: $0) != nil && Self.row("config-2", in: $0) != nil
        }
        #expect(Self.row("config-1", in: listed)?.contains("0/-") == true, "no limits: \(listed)")
        // A request with the second key: the gateway's own count reaches the view.
        let transport = CurlTransport()
        defer { transport.shutdown() }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Authorization", value: "Bearer sk-keys-view-two")
        let response = try await transport.send(
            HTTPRequest(
                method: .post, url: "http://127.0.0.1:\(gatewayPort)/v1/chat/completions", headers: headers,
                body: Array(#"{"model":"chat","max_tokens":8,"messages":[{"role":"user","content":"hello"}]}"#.utf8), timeout: .seconds(30))
        )
        #expect(response.status == 200)
        let counted = try await tmux.waitFor("config-2's request") { Self.row("config-2", in: $0)?.contains("1/-") == true }
        #expect(Self.row("config-1", in: counted)?.contains("0/-") == true, "\(counted)")

        try await tmux.send("/", "2")
        try await tmux.send("Enter")
        // The filter's line can show before the list has been drawn again: wait for the list too.
        let filtered = try await tmux.waitFor("the filter") {
            $0.contains("filter: 2") && Self.row("config-1", in: $0) == nil && Self.row("config-2", in: $0) != nil
        }
        #expect(Self.row("config-2", in: filtered) != nil, "\(filtered)")
        #expect(Self.row("config-1", in: filtered) == nil && Self.row("web-app", in: filtered) == nil, "\(filtered)")
        #expect(filtered.contains("config-2 (config: gateway.client_key_sha256) · active · never expires"), "\(filtered)")
        try await tmux.send("q")
    }
}
