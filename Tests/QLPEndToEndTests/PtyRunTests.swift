import Testing

/// The pty driver itself: a program's time to exit is counted from the last
/// step, not from its start, so a start slowed by a loaded machine does not
/// get the program killed while it is exiting as asked.
@Suite struct PtyRunTests {
    @Test func aSlowStartDoesNotEatTheTimeToExit() async throws {
        // Ready after 4 s, then 2 s to exit once it has read a line: 6 s in all, longer than the 3 s exit budget.
        let run = PtyRun(
            arguments: ["/bin/sh", "-c", "sleep 4; echo ready; read line; sleep 2; exit 3"],
            environment: ["PATH": "/usr/bin:/bin"])
        let outcome = try await run.run([.waitForOutput("ready", timeoutSeconds: 20), .send("go\n")], exitWithinSeconds: 3)
        #expect(!outcome.killed)
        #expect(outcome.status == 3)
    }

    @Test func aProgramThatDoesNotExitIsKilledAfterTheBudget() async throws {
        let run = PtyRun(arguments: ["/bin/sh", "-c", "echo ready; sleep 30"], environment: ["PATH": "/usr/bin:/bin"])
        let outcome = try await run.run([.waitForOutput("ready", timeoutSeconds: 20)], exitWithinSeconds: 1)
        #expect(outcome.killed)
        #expect(outcome.status == 128 + 9)
    }
}
