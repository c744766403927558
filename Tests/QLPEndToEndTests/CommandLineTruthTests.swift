import Foundation
import Testing

/// What the command line answers when a person gets something wrong, and the
/// report's periods as the binary writes them: one prefix, one exit code per
/// kind of mistake, and messages that name the actual problem.
@Suite struct CommandLineTruthTests {
    static let fixtures = ReportCommandTests.fixtures

    func run(_ arguments: [String], in scratch: ScratchDirectory) async throws -> Subprocess.Result {
        try await ReportCommandTests().run(arguments, in: scratch)
    }

    /// The binary started from a directory with no config/qlp.yaml.
    func runOutsideTheRepository(_ arguments: [String], in scratch: ScratchDirectory) async throws -> Subprocess.Result {
        let quoted = ([QLPBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try await Subprocess.run(
            ["/bin/sh", "-c", "cd '\(scratch.path)' && exec \(quoted)"],
            environment: [
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC", "PATH": "/usr/bin:/bin",
                "XDG_CONFIG_HOME": scratch.path + "/config", "XDG_STATE_HOME": scratch.path + "/state",
            ])
    }

    @Test func mistypedSubcommandSuggests() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let report = try await run(["reprot", "--demo"], in: scratch)
        #expect(report.status == 2, "status \(report.status)")
        #expect(report.error.contains("did you mean `qlp report`?"), "got: \(report.error)")
        #expect(report.output.isEmpty)
        let routes = try await run(["route"], in: scratch)
        #expect(routes.status == 2, "status \(routes.status)")
        #expect(routes.error.contains("did you mean `qlp routes`?"), "got: \(routes.error)")
        let nothingClose = try await run(["zzzzzz"], in: scratch)
        #expect(nothingClose.status == 2)
        #expect(nothingClose.error.contains("unknown command 'zzzzzz'"), "got: \(nothingClose.error)")
    }

    @Test func usageErrorsExitTwoWithOnePrefix() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let unknownOption = try await run(["report", "--bogus"], in: scratch)
        #expect(unknownOption.status == 2, "status \(unknownOption.status)")
        #expect(unknownOption.error.hasPrefix("qlp: "), "got: \(unknownOption.error)")
        #expect(!unknownOption.error.contains("Error:"), "got: \(unknownOption.error)")
        let together = try await run(["report", "--week", "2026-W47", "--month", "2026-11"], in: scratch)
        #expect(together.status == 2, "status \(together.status)")
        #expect(together.error.hasPrefix("qlp: "), "got: \(together.error)")

        let noConfig = try await runOutsideTheRepository(["report"], in: scratch)
        #expect(noConfig.status == 2, "status \(noConfig.status)")
        #expect(noConfig.error.hasPrefix("qlp: no config file found"), "got: \(noConfig.error)")
        #expect(!noConfig.error.contains("qlp: qlp:"), "got: \(noConfig.error)")
    }

    @Test func argumentErrorsNameTheActualProblem() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let cases: [([String], String)] = [
            (["--month", "2026-13"], "there is no month 13"),
            (["--month", "Nov"], "expected a month such as 2026-11"),
            (["--week", "2026-W54"], "2026 has 53 ISO weeks"),
            (["--week", "2027-W53"], "2027 has 52 ISO weeks"),
            (["--from", "2026-02-30", "--to", "2026-03-01"], "February 2026 has 28 days"),
            (["--from", "2026-03-01", "--to", "2026-02-01"], "--from 2026-03-01 is after --to 2026-02-01"),
        ]
        for (arguments, expected) in cases {
            let result = try await run(["report", "--demo"] + arguments, in: scratch)
            #expect(result.status == 2, "\(arguments): status \(result.status)")
            #expect(result.error.contains(expected), "\(arguments): got: \(result.error)")
        }
    }

    @Test func impossiblePeriodsExitTwoNamingTheDataRange() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        for arguments in [["--month", "2099-01"], ["--week", "2020-W01"]] {
            let result = try await run(["report", "--demo"] + arguments, in: scratch)
            #expect(result.status == 2, "\(arguments): status \(result.status)")
            #expect(result.error.contains("there is data from"), "\(arguments): got: \(result.error)")
            #expect(result.output.isEmpty)
        }
    }

    @Test func demoMonthInProgressSaysSoAndComparesLikeForLike() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let today = calendar.dateComponents([.year, .month, .day], from: Date())
        let month = String(format: "%04d-%02d", today.year!, today.month!)
        let result = try await run(["report", "--demo", "--month", month], in: scratch)
        guard today.day! > 1 else {
            // No day of the month is complete yet: refused, not a report of nothing.
            #expect(result.status == 2)
            return
        }
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("in progress"), "got: \(result.output)")
        let json = try await run(["report", "--demo", "--month", month, "--format", "json"], in: scratch)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let period = try #require(object["period"] as? [String: Any])
        #expect(period["in_progress"] as? Bool == true)
        #expect(period["compared_days"] as? Int == today.day! - 1)
        let previous = try #require(object["previous_period"] as? [String: Any])
        #expect(previous["compared_days"] as? Int == today.day! - 1)
    }

    @Test func asOfReissuesAPastReport() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let config = try ReportCommandTests().config(in: scratch, usdRate: "0.79")
        let result = try await run(
            [
                "report", "--config", config, "--from-file", Self.fixtures + "/focus-1.0-sample-multicloud-1000.csv",
                "--month", "2024-09", "--as-of", "2024-09-16", "--format", "json",
            ], in: scratch)
        #expect(result.status == 0, "\(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["as_of"] as? String == "2024-09-16")
        let period = try #require(object["period"] as? [String: Any])
        #expect(period["in_progress"] as? Bool == true)
        #expect(period["compared_days"] as? Int == 15)

        let future = try await run(
            [
                "report", "--config", config, "--from-file", Self.fixtures + "/focus-1.0-sample-multicloud-1000.csv",
                "--as-of", "2999-01-01",
            ], in: scratch)
        #expect(future.status == 2)
        #expect(future.error.contains("--as-of"), "got: \(future.error)")
    }

    @Test func outputInfersTheFormatFromTheExtension() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let config = try ReportCommandTests().config(in: scratch, usdRate: "0.79")
        let file = Self.fixtures + "/focus-1.0-sample-multicloud-1000.csv"
        let csv = scratch.path + "/november.csv"
        let written = try await run(
            ["report", "--config", config, "--from-file", file, "--month", "2024-09", "--output", csv], in: scratch)
        #expect(written.status == 0, "\(written.error)")
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(text.hasPrefix("section,item,metric,value,unit"), "got: \(text.prefix(200))")

        let mismatch = try await run(
            [
                "report", "--config", config, "--from-file", file, "--month", "2024-09", "--output",
                scratch.path + "/november.json", "--format", "csv",
            ], in: scratch)
        #expect(mismatch.status == 2, "status \(mismatch.status)")
        #expect(mismatch.error.contains("november.json") && mismatch.error.contains("csv"), "got: \(mismatch.error)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/november.json"))
    }

    @Test func skipBadRowsSaysSoOnStandardError() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let original = try String(contentsOfFile: Self.fixtures + "/azure-ea-actualcost-small.csv", encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        var fields = lines[3].components(separatedBy: ",")
        fields[21] = "twelve"
        lines[3] = fields.joined(separator: ",")
        let file = scratch.path + "/bad-export.csv"
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let config = try ReportCommandTests().config(in: scratch, usdRate: "0.79")
        let result = try await run(
            ["report", "--config", config, "--from-file", file, "--month", "2023-09", "--skip-bad-rows"], in: scratch)
        #expect(result.status == 0, "\(result.error)")
        let summary = result.error.split(separator: "\n").filter { $0.contains("skipped") }
        #expect(summary.count == 1, "got: \(result.error)")
        #expect(summary.first?.contains("skipped 1 of 11 rows") == true, "got: \(result.error)")
        #expect(summary.first?.contains("\(file):4") == true, "got: \(result.error)")
    }
}
