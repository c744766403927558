import Foundation
import QLPEmulator
import QLPTestSupport
import Testing

/// Issue 14, finding 4: `qlp report` waits out Cost Management's 429s
/// (and its own budget) with a line on stderr for each wait, and fails only
/// when a wait would go past --max-wait, naming the limit and whose wait it was.
@Suite(.serialized) struct ReportWaitsOutThrottlingTests {
    /// `qlp emulate` with faults; stopped by the caller.
    func emulator(faults: [String], in scratch: ScratchDirectory) async throws -> (BackgroundProcess, Int) {
        let emulator = try await RunningEmulator.start(
            in: scratch, arguments: faults.flatMap { ["--fault", $0] }, logName: "emulator-\(UUID().uuidString).log")
        return (emulator.process, emulator.port)
    }

    func report(port: Int, arguments: [String], scratch: ScratchDirectory) async throws -> Subprocess.Result {
        let config = try DoctorCommandTests().config(port: port, secret: "", scratch: scratch)
        return try await Subprocess.run(
            [QLPBinary.path, "report", "--config", config] + arguments,
            environment: [
                "HOME": scratch.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC",
                "DOCTOR_TEST_SECRET": EmulatorConfiguration.demoClientSecret,
            ])
    }

    @Test func finding04_theReportWaitsOutA429AndFailsOnlyPastMaxWaitNamingIt() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }

        // Two 429s asking for 2 s each, then answers: the report waits twice and is written.
        let (twice, twicePort) = try await emulator(faults: ["cost.query=status:429,retry-after:2,count:2"], in: scratch)
        let waited: Subprocess.Result
        do {
            waited = try await report(port: twicePort, arguments: ["--format", "json"], scratch: scratch)
        } catch {
            twice.stop()
            throw error
        }
        await twice.terminate()
        #expect(waited.status == 0, "stderr: \(waited.error)")
        #expect(waited.error.contains("qlp: Cost Management asked qlp to wait ("), "\(waited.error)")
        #expect(waited.error.contains("waiting 2 s (retry 1, page 1)"), "\(waited.error)")
        #expect(waited.error.contains("waiting 2 s (retry 2, page 1)"), "\(waited.error)")
        #expect(waited.error.contains("under --max-wait 5m"), "\(waited.error)")
        #expect(waited.output.contains("\"schema_version\""))

        // Every answer a 429 asking for 5 s, and 3 s allowed: a clear runtime failure naming both.
        let (always, alwaysPort) = try await emulator(faults: ["cost.query=status:429,retry-after:5"], in: scratch)
        let refused: Subprocess.Result
        let never: Subprocess.Result
        do {
            refused = try await report(port: alwaysPort, arguments: ["--max-wait", "3s"], scratch: scratch)
            never = try await report(port: alwaysPort, arguments: ["--max-wait", "0s"], scratch: scratch)
        } catch {
            always.stop()
            throw error
        }
        await always.terminate()
        // 0s: never wait, and the message still names the cap that said so.
        #expect(never.status == 1, "\(never.error)")
        #expect(never.error.contains("past --max-wait 0s"), "\(never.error)")
        #expect(refused.status == 1, "a throttled service is a runtime failure, not a usage error: \(refused.error)")
        #expect(refused.error.contains("past --max-wait 3s"), "\(refused.error)")
        #expect(refused.error.contains("Cost Management asked qlp to wait ("), "\(refused.error)")
        #expect(refused.output.isEmpty)

        let badOption = try await report(port: alwaysPort, arguments: ["--max-wait", "soon"], scratch: scratch)
        #expect(badOption.status == 2)
        #expect(badOption.error.contains("--max-wait soon"), "\(badOption.error)")
    }
}
