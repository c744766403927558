import Foundation
import Testing

/// `qlp report` as finance runs it: files in, a report out, clear refusals.
@Suite struct ReportCommandTests {
    static let repoConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/qlp.yaml").standardized.path
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../QLPReportTests/Fixtures/costs").standardized.path

    func run(_ arguments: [String], in scratch: ScratchDirectory) async throws -> Subprocess.Result {
        try await Subprocess.run(
            [QLPBinary.path] + arguments,
            environment: [
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC", "PATH": "/usr/bin:/bin",
                "XDG_CONFIG_HOME": scratch.path + "/config", "XDG_STATE_HOME": scratch.path + "/state",
            ])
    }

    /// The repository's example config, with a USD rate when asked.
    func config(in scratch: ScratchDirectory, usdRate: String? = nil) throws -> String {
        var text = try String(contentsOfFile: Self.repoConfig, encoding: .utf8)
        if let usdRate {
            text = text.replacingOccurrences(of: "  # exchange_rates:\n  #   USD: 0.79", with: "  exchange_rates:\n    USD: \(usdRate)")
        }
        let path = scratch.path + "/qlp.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aFileInAnotherCurrencyIsRefusedNamingTheFileAndBothCurrencies() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = Self.fixtures + "/azure-ea-actualcost-small.csv"
        let result = try await run(["report", "--config", try config(in: scratch), "--from-file", file, "--month", "2023-09"], in: scratch)
        #expect(result.status == 2)
        #expect(result.error.contains(file), "got: \(result.error)")
        #expect(result.error.contains("USD") && result.error.contains("GBP"), "got: \(result.error)")
        #expect(result.output.isEmpty)
    }

    @Test func aMalformedRowStopsTheReportUnlessSkippedThenItIsCountedAndListed() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let original = try String(contentsOfFile: Self.fixtures + "/azure-ea-actualcost-small.csv", encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        // Line 4 of the file: its Cost field (the 22nd) becomes text.
        var fields = lines[3].components(separatedBy: ",")
        fields[21] = "twelve"
        lines[3] = fields.joined(separator: ",")
        let file = scratch.path + "/bad-export.csv"
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let configPath = try config(in: scratch, usdRate: "0.79")

        let stopped = try await run(["report", "--config", configPath, "--from-file", file, "--month", "2023-09"], in: scratch)
        #expect(stopped.status == 2)
        #expect(stopped.error.contains("\(file):4"), "got: \(stopped.error)")
        #expect(stopped.error.contains("twelve"), "got: \(stopped.error)")

        let skipped = try await run(
            [
                "report", "--config", configPath, "--from-file", file, "--month", "2023-09", "--skip-bad-rows",
                "--format", "markdown",
            ], in: scratch)
        #expect(skipped.status == 0, "stderr: \(skipped.error)")
        #expect(skipped.output.contains("Rows read: 11; rows skipped: 1."), "got: \(skipped.output)")
        #expect(skipped.output.contains("Skipped: \(file):4"))
        #expect(skipped.output.contains("USD amounts converted at 0.79 GBP per USD"))
    }

    @Test func everyFormatIsWrittenToAFile() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let configPath = try config(in: scratch, usdRate: "0.79")
        for format in ["table", "markdown", "csv", "json"] {
            let out = scratch.path + "/report.\(format)"
            let result = try await run(
                [
                    "report", "--config", configPath, "--from-file", Self.fixtures + "/focus-1.0-sample-multicloud-1000.csv",
                    "--month", "2024-09", "--format", format, "--output", out,
                ], in: scratch)
            #expect(result.status == 0, "\(format): \(result.error)")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(!text.isEmpty)
            if format == "json" {
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                #expect(object?["schema_version"] as? Int == 2)
            }
        }
    }

    @Test func theDemoReportReadsAtlasAndFollowsTheSchema() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let result = try await run(["report", "--demo", "--config", try config(in: scratch), "--format", "json"], in: scratch)
        #expect(result.status == 0, "\(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let atlas = try #require(object["atlas"] as? [String: Any])
        #expect(atlas["status"] as? String == "read")
        #expect(((atlas["used"] as? NSNumber)?.doubleValue ?? 0) > 0)
        #expect((atlas["usd_rate"] as? NSNumber)?.decimalValue == Decimal(string: "0.79"))
        let monthly = try #require(object["monthly"] as? [String: Any])
        // The demo's week has ended, its month has not: Azure's forecast is read.
        #expect(monthly["projection_azure"] is NSNumber || (monthly["projection_azure_note"] as? String)?.contains("ended") == true)
    }
}
