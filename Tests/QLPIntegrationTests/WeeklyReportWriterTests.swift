import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import Testing

/// The dashboard's `w` key writes this week's report through the same path as `qlp report`.
@Suite struct WeeklyReportWriterTests {
    @Test func writesThisWeeksMarkdownReport() async throws {
        try await withHarness { h in
            let directory = NSTemporaryDirectory() + "qlp-reports-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let writer = WeeklyReportWriter(
                source: CostManagementReportSource(client: h.client, scope: h.scope), directory: directory,
                clock: { EmulatorHarness.clock })
            let path = try await writer.write(plan: try EmulatorHarness.examplePlan())
            #expect(path == directory + "/qlp-report-2026-W48.md")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.hasPrefix("# QuantumLayer Platform spend, week 2026-W48 (23 Nov 2026 to 29 Nov 2026)"))
            #expect(text.contains("Figures as of the start of 26 Nov 2026"))
            #expect(text.contains("| Compute (AKS) | £2,000.00 |"))
        }
    }
}
