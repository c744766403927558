import Foundation
import QLPEmulator
import QLPTestSupport
import Testing

/// Issue 5, acceptance 7 through a real terminal: `qlp emulate` reports a
/// Cost Management service and an Azure budget under hostile names (escape
/// sequences, C1 controls), `qlp dash` reads them over the wire like any other
/// name, and every byte it writes to the pty is checked. A control run with
/// harmless names takes the same steps, so the dashboard's own sequences are
/// told apart from anything the names could have smuggled in.
///
/// The names reach the screen through Cost Management's ServiceName column
/// (the Overview's "Unmapped ... not in any bucket: NAME" line) and the
/// budgets API's `name` (the Budget view's AZURE BUDGETS table). The Monitor
/// view's resource names come from the config, not the wire, so they are not
/// the path taken here.
@Suite(.serialized) struct HostileNameEndToEndTests {
    /// As typed on a command line (the emulator turns the escapes into the
    /// controls): clear the screen, retitle the window through OSC 0, ask for
    /// the cursor position through a C1 CSI, retitle through a C1 OSC, ring
    /// the bell, back up, return the carriage.
    static let hostileService = #"Event Grid=\e[2J\e]0;PWNED\aEvent\x9b6n\x9d0;HIJACK\a\aGrid\b\r!"#
    /// The sequences gone whole, each lone control a `?`.
    static let inertService = "Event?Grid??!"
    /// A cursor move no 100x30 screen makes (row 77, column 177), a C1 CSI and a bell.
    static let hostileBudget = #"quantumlayer-monthly=\e[77;177Hqlp\x9b6n-monthly\a"#
    static let inertBudget = "qlp-monthly?"
    static let harmless = ["Event Grid=Event-Grid-ok", "quantumlayer-monthly=qlp-monthly-ok"]

    /// `qlp dash` at 100x30 on an emulator reporting `renames`: the Overview
    /// until its unmapped line is drawn, then the Budget view until Azure's
    /// budgets are, then q.
    static func dashboard(renames: [String], budgetName: String) async throws -> PtyRun.Outcome {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await RunningEmulator.start(in: scratch, arguments: renames.flatMap { ["--resource-name", $0] })
        defer { emulator.stop() }
        let config = try DoctorCommandTests().config(port: emulator.port, secret: "", scratch: scratch)
        var environment = TerminalDisciplineTests.environment(scratch)
        environment["DOCTOR_TEST_SECRET"] = EmulatorConfiguration.demoClientSecret
        let run = PtyRun(arguments: [QLPBinary.path, "dash", "--config", config], environment: environment, columns: 100, rows: 30)
        return try await run.run(
            [
                .waitForOutput("not in any bucket: Event", timeoutSeconds: 30), .wait(seconds: 1),
                .send("2"), .waitForOutput(budgetName, timeoutSeconds: 20), .wait(seconds: 1),
                .send("q"),
            ], exitWithinSeconds: 30)
    }

    static func count(_ needle: String, in bytes: [UInt8]) -> Int {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return 0 }
        return (0...(bytes.count - pattern.count)).filter { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }.count
    }

    /// Offsets of 0x9B and 0x9D bytes that are C1 controls: raw (after an
    /// ASCII byte or at the start) or UTF-8 encoded (after 0xC2). As
    /// continuation bytes of other characters (box drawing, blocks) they are text.
    static func c1Bytes(_ bytes: [UInt8]) -> [Int] {
        bytes.indices.filter { i in
            guard bytes[i] == 0x9B || bytes[i] == 0x9D else { return false }
            return i == 0 || bytes[i - 1] < 0x80 || bytes[i - 1] == 0xC2
        }
    }

    /// The byte checks find what they look for (a bypassed sanitiser leaves
    /// the canvas's own zero-width skip and ncurses between a name and the pty,
    /// so the run above cannot show this on its own).
    @Test func theByteChecksCatchWhatTheyLookFor() {
        let leaked = Array("ok \u{1B}]0;PWNED\u{07} \u{9B}6n \u{9D}x".utf8) + [0x41, 0x9B, 0x36, 0x6E]
        #expect(Self.c1Bytes(leaked).count == 3, "UTF-8 encoded CSI and OSC, and a raw CSI")
        #expect(Self.count("\u{1B}]", in: leaked) == 1)
        // Box drawing and blocks hold 0x9B and 0x9D as continuation bytes: text, not controls.
        #expect(Self.c1Bytes(Array("┛╝▛▝".utf8)).isEmpty)
    }

    @Test func aHostileNameFromTheEmulatorIsShownInert() async throws {
        let hostile = try await Self.dashboard(renames: [Self.hostileService, Self.hostileBudget], budgetName: Self.inertBudget)
        let control = try await Self.dashboard(renames: Self.harmless, budgetName: "qlp-monthly-ok")
        for (name, outcome) in [("hostile", hostile), ("control", control)] {
            #expect(outcome.status == 0 && !outcome.killed, "\(name) run: status \(outcome.status), killed \(outcome.killed)")
            #expect(outcome.sttyAfter == outcome.sttyBefore, "\(name) run: terminal modes not restored")
        }
        let bytes = hostile.output
        let text = String(decoding: bytes, as: UTF8.self)
        // The control run shows that the names did come over the wire and onto the screen.
        let controlText = String(decoding: control.output, as: UTF8.self)
        #expect(controlText.contains("not in any bucket: Event-Grid-ok"), "the emulator's service name is not on the Overview")
        #expect(controlText.contains("qlp-monthly-ok"), "the emulator's budget name is not on the Budget view")

        // Shown, inert and recognisable.
        #expect(text.contains("not in any bucket: " + Self.inertService), "the service name's inert form is missing")
        #expect(text.contains(Self.inertBudget), "the budget name's inert form is missing")
        // Nothing of the sequences reached the terminal.
        #expect(!text.contains("\u{1B}]"), "an OSC sequence reached the terminal")
        #expect(!text.contains("PWNED") && !text.contains("HIJACK"), "a title from the name reached the terminal")
        #expect(Self.count("\u{1B}[6n", in: bytes) == 0, "a cursor position query reached the terminal")
        #expect(Self.count("\u{1B}[77;177H", in: bytes) == 0, "the name's cursor move reached the terminal")
        #expect(
            Self.count("\u{1B}[2J", in: bytes) == Self.count("\u{1B}[2J", in: control.output),
            "more screen clears than the control run: \(Self.count("\u{1B}[2J", in: bytes)) vs \(Self.count("\u{1B}[2J", in: control.output))"
        )
        #expect(Self.count("\u{07}", in: bytes) == Self.count("\u{07}", in: control.output), "a bell from the name")
        // The name's own BEL, BS and CR would sit between "Grid" and "!": the inert form above, whole, shows they did not.
        #expect(Self.c1Bytes(bytes).isEmpty, "C1 controls at offsets \(Self.c1Bytes(bytes).prefix(5))")
        #expect(!text.unicodeScalars.contains { (0x80..<0xA0).contains($0.value) }, "a C1 control reached the terminal")
    }
}
