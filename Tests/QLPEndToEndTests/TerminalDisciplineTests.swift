import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the dashboard writes to a real terminal, byte for byte, and what it
/// leaves behind: no colour under NO_COLOR, nothing beyond ASCII under LANG=C,
/// the terminal's modes restored however it ends, and outside text inert.
@Suite(.serialized) struct TerminalDisciplineTests {
    static func environment(_ scratch: ScratchDirectory, locale: String = "C.UTF-8") -> [String: String] {
        [
            "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config", "HOME": scratch.path,
            "LANG": locale, "TZ": "UTC", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }

    /// The demo until its Overview has cost data, then `ending`.
    static func demo(
        _ scratch: ScratchDirectory, environment: [String: String], arguments: [String] = [],
        ending: [PtyRun.Step]
    ) async throws -> PtyRun.Outcome {
        let run = PtyRun(arguments: [QLPBinary.path, "demo"] + arguments, environment: environment)
        return try await run.run([.waitForOutput("MONTHLY", timeoutSeconds: 30), .wait(seconds: 1.5)] + ending)
    }

    /// Every SGR (`ESC [ ... m`) parameter list in the output.
    static func sgrParameters(_ bytes: [UInt8]) -> [[Int]] {
        var found: [[Int]] = []
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "[") else {
                i += 1
                continue
            }
            var j = i + 2
            while j < bytes.count, (0x20...0x3F).contains(bytes[j]) { j += 1 }
            if j < bytes.count, bytes[j] == UInt8(ascii: "m") {
                let text = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                found.append(text.split(whereSeparator: { $0 == ";" || $0 == ":" }).map { Int($0) ?? 0 })
            }
            i = j
        }
        return found
    }

    static func isColour(_ parameter: Int) -> Bool {
        (30...49).contains(parameter) || (90...97).contains(parameter) || (100...107).contains(parameter)
    }

    @Test func noColorMeansNoColourEscapeAtAll() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var environment = Self.environment(scratch)
        environment["NO_COLOR"] = "1"
        let outcome = try await Self.demo(scratch, environment: environment, ending: [.send("2"), .wait(seconds: 1), .send("q")])
        #expect(outcome.status == 0 && !outcome.killed)
        let sgr = Self.sgrParameters(outcome.output)
        #expect(!sgr.isEmpty, "attributes (bold, reverse) should still be drawn")
        // Only the first parameter of 38/48 sequences is checked: the rest are colour values.
        let colour = sgr.filter { $0.contains(where: Self.isColour) }
        #expect(colour.isEmpty, "colour escapes under NO_COLOR: \(colour.prefix(5))")
        // With colour, the same screen does use them (so the check above can fail).
        let coloured = try await Self.demo(scratch, environment: Self.environment(scratch), ending: [.send("q")])
        #expect(Self.sgrParameters(coloured.output).contains { $0.contains(where: Self.isColour) })
    }

    @Test func noColorFlagToo() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let outcome = try await Self.demo(scratch, environment: Self.environment(scratch), arguments: ["--no-color"], ending: [.send("q")])
        #expect(outcome.status == 0)
        #expect(!Self.sgrParameters(outcome.output).contains { $0.contains(where: Self.isColour) })
    }

    @Test func aNonUTF8LocaleGetsPureASCII() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let outcome = try await Self.demo(
            scratch, environment: Self.environment(scratch, locale: "C"),
            ending: [.send("2"), .wait(seconds: 1), .send("?"), .wait(seconds: 0.5), .send("q")])
        #expect(outcome.status == 0 && !outcome.killed)
        let high = outcome.output.enumerated().filter { $0.element > 0x7F }
        #expect(high.isEmpty, "\(high.count) bytes above 0x7F, first at \(high.first?.offset ?? -1)")
        #expect(String(decoding: outcome.output, as: UTF8.self).contains("GBP"))
    }

    @Test(arguments: [
        ("Ctrl-C", PtyRun.Step.send("\u{03}"), Int32(128 + 2)),
        ("SIGTERM", .signal(SIGTERM), 128 + 15),
        ("SIGHUP", .signal(SIGHUP), 128 + 1),
        ("q", .send("q"), 0),
    ])
    func theTerminalIsRestored(how: String, step: PtyRun.Step, status: Int32) async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let outcome = try await Self.demo(scratch, environment: Self.environment(scratch), ending: [step])
        #expect(!outcome.killed, "\(how): still running")
        #expect(outcome.status == status, "\(how)")
        #expect(outcome.sttyBefore.contains(" echo ") && outcome.sttyBefore.contains(" icanon "))
        #expect(outcome.sttyAfter == outcome.sttyBefore, "\(how): stty -a differs:\n\(outcome.sttyBefore)\n---\n\(outcome.sttyAfter)")
        // Left the alternate screen and showed the cursor again.
        let text = String(decoding: outcome.output, as: UTF8.self)
        #expect(text.contains("\u{1B}[?1049l"), "\(how)")
        #expect(text.hasSuffix("\u{1B}[?1049l\r\u{1B}[?1l\u{1B}>") || text.contains("\u{1B}[?25h"), "\(how)")
    }

    @Test func ctrlZSuspendsAndRestoresThenResumesWithAFullRepaint() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        // Ctrl-Z stops the process; with no shell to `fg` it, the test sends SIGCONT as a shell would.
        let outcome = try await Self.demo(
            scratch, environment: Self.environment(scratch),
            ending: [
                .send("\u{1A}"), .wait(seconds: 1.5), .signal(SIGCONT), .wait(seconds: 1.5), .send("2"), .wait(seconds: 1), .send("q"),
            ])
        #expect(outcome.status == 0 && !outcome.killed)
        let text = String(decoding: outcome.output, as: UTF8.self)
        // Left the alternate screen at Ctrl-Z, entered it again on resume, and painted the whole screen (clear, then the header).
        let leaves = text.components(separatedBy: "\u{1B}[?1049l").count - 1
        let enters = text.components(separatedBy: "\u{1B}[?1049h").count - 1
        #expect(leaves == 2 && enters == 2, "left \(leaves), entered \(enters)")
        let afterResume = text.components(separatedBy: "\u{1B}[?1049h").last ?? ""
        #expect(afterResume.contains("AZURE CREDITS"), "no full repaint after resume")
        // Keys work after resume: 2 switched to Budget.
        #expect(afterResume.contains("Budget"))
        #expect(outcome.sttyAfter == outcome.sttyBefore)
    }

    @Test func aHostileNameFromOutsideIsShownInert() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        // A bucket label that tries to retitle the window (OSC), clear the
        // screen, query the cursor, and a C1 CSI; YAML's \e, \a and \x9B escapes
        // put the raw control characters into the string.
        let example = try String(
            contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../config/qlp.yaml").standardized.path, encoding: .utf8)
        let hostile = #"label: "\e]0;PWNED\aEvil\e[2J\e[6n\x9B31mBucket""#
        let config = example.replacingOccurrences(of: "label: Compute (AKS)", with: hostile)
        #expect(config.contains("PWNED"))
        let path = scratch.path + "/qlp.yaml"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try await Self.demo(
            scratch, environment: Self.environment(scratch), arguments: ["--config", path],
            ending: [.send("q")])
        #expect(outcome.status == 0 && !outcome.killed)
        let text = String(decoding: outcome.output, as: UTF8.self)
        #expect(text.contains("EvilBucket"), "the label is shown, without its escapes")
        #expect(!text.contains("PWNED"))
        #expect(!text.contains("\u{1B}]"), "an OSC sequence reached the terminal")
        #expect(!text.contains("\u{1B}[6n"))
        #expect(!text.unicodeScalars.contains { (0x80..<0xA0).contains($0.value) }, "a C1 control reached the terminal")
    }

    @Test func themeFromFlagAndSwitchedWhileRunning() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        // default-dark's header is 255 on 25; light's is 255 on 24; high-contrast's black on bright white.
        let outcome = try await Self.demo(
            scratch, environment: Self.environment(scratch), arguments: ["--theme", "light"],
            ending: [
                .send(":theme high-contrast\r"), .wait(seconds: 1.5), .send("q"),
            ])
        #expect(outcome.status == 0 && !outcome.killed)
        let text = String(decoding: outcome.output, as: UTF8.self)
        // High-contrast's header background (bright white, colour 15) appears only after the switch.
        guard let switched = text.range(of: "\u{1B}[107m") else {
            Issue.record("high-contrast never drawn after :theme")
            return
        }
        let before = text[..<switched.lowerBound]
        #expect(before.contains("\u{1B}[48;5;24m") && !before.contains("\u{1B}[48;5;25m"), "light at start")
    }

    @Test func aBadThemeFileIsNamedWithItsLine() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = scratch.path + "/mine.theme"
        try "normal = default\nheader = purpel on blue\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try await Subprocess.run([QLPBinary.path, "demo", "--theme", file], environment: Self.environment(scratch))
        #expect(bad.status != 0)
        #expect(bad.error.contains("\(file):2: unknown colour 'purpel'"), "\(bad.error)")
        let unknown = try await Subprocess.run([QLPBinary.path, "demo", "--theme", "neon"], environment: Self.environment(scratch))
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("unknown theme 'neon'") && unknown.error.contains("solarized"), "\(unknown.error)")
    }
}
