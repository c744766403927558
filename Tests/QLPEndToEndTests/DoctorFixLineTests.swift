import Foundation
import QLPEmulator
import Testing

/// Issue 17: doctor's fix lines say what to do, and never cut a URL in two.
@Suite(.serialized) struct DoctorFixLineTests {
    @Test func anUnsetVariableIsFixedByExportingIt() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let base = DoctorCommandTests()
        let path = try base.config(port: 9, secret: "", scratch: scratch)
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "tenant_id: \(DoctorCommandTests.demoTenant)", with: "tenant_id: ${QLP_DOCTOR_TEST_TENANT}")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await base.doctor(config: path, secret: "unused", scratch: scratch)
        #expect(result.status == 1)
        #expect(result.output.contains("export QLP_DOCTOR_TEST_TENANT="), "\(result.output)")
        #expect(!result.output.contains("fix the file at that line"), "\(result.output)")
        // The line to edit instead, if the value belongs in the file.
        #expect(result.output.contains("azure.tenant_id"), "\(result.output)")
    }

    @Test func aURLInAFailureStaysOnOneLine() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let base = DoctorCommandTests()
        let path = try base.config(port: emulator.port, secret: "", scratch: scratch)
        // A cluster the emulator does not have: its metrics check fails with the endpoint in the message.
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "managedClusters/qlp-aks", with: "managedClusters/qlp-aks-that-was-deleted-last-week")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await base.doctor(config: path, secret: EmulatorConfiguration.demoClientSecret, scratch: scratch)
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
        // The two URLs this failure carries, whole: the endpoint that answered 404 and the link in ARM's message.
        // Looked for by what they are, since text joined across lines cannot tell a cut URL from one followed
        // by the next line's words.
        let endpoint = "http://127.0.0.1:\(emulator.port)/subscriptions/"
        #expect(
            lines.contains {
                $0.contains(endpoint) && $0.contains("qlp-aks-that-was-deleted-last-week/providers/Microsoft.Insights/metricDefinitions")
            },
            "the endpoint is cut across lines:\n\(result.output)")
        #expect(
            lines.contains { $0.contains("https://aka.ms/ARMResourceNotFoundFix") },
            "ARM's link is cut across lines:\n\(result.output)")
        for url in Self.urls(in: lines.joined(separator: "\n")) {
            #expect(lines.contains { $0.contains(url) }, "\(url) is cut across lines:\n\(result.output)")
        }
    }

    /// Every http(s) URL in `text`, up to the first character a URL does not have here.
    static func urls(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "http") {
            let tail = rest[start.lowerBound...]
            let url = tail.prefix { $0.isLetter || $0.isNumber || ":/._-?=&%~+".contains($0) }
            if url.hasPrefix("http://") || url.hasPrefix("https://") { found.append(String(url)) }
            rest = rest[start.upperBound...]
        }
        return found
    }
}
