import Foundation
import Testing

/// scripts/release's tarball, unpacked and run the way someone who installs it
/// would: without the Swift toolchain's libraries, from a directory of its own.
///
/// Skipped unless QLP_RELEASE_TEST=1: it runs a release build of the whole
/// package, which takes many minutes on two cores (QLP_RELEASE_SCRATCH and
/// QLP_RELEASE_SKIP_BUILD reach the script to reuse a build).
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["QLP_RELEASE_TEST"] == "1",
        "a release build takes many minutes on two cores: set QLP_RELEASE_TEST=1 to run it"))
struct ReleaseTarballEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A command line with the loader unable to find anything of the
    /// toolchain: no inherited environment, an empty LD_LIBRARY_PATH.
    static func bare(_ arguments: [String], home: String) -> [String] {
        [
            "/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "LD_LIBRARY_PATH=", "HOME=\(home)", "LANG=C.UTF-8", "TZ=UTC",
            "XDG_STATE_HOME=\(home)/state", "XDG_CONFIG_HOME=\(home)/config",
        ] + arguments
    }

    @Test(.timeLimit(.minutes(60)))
    func theTarballRunsWithoutTheToolchain() async throws {
        let version = try String(contentsOf: Self.repository.appendingPathComponent("VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // `swift test` holds .build's lock while tests run: the script's builds go to a build directory of their own.
        var environment = ProcessInfo.processInfo.environment
        if environment["QLP_RELEASE_SCRATCH"]?.isEmpty ?? true { environment["QLP_RELEASE_SCRATCH"] = ".build-release" }
        let built = try await Subprocess.run(
            ["/bin/sh", "-c", "cd '\(Self.repository.path)' && exec scripts/release"],
            environment: environment)
        #expect(built.status == 0, "scripts/release failed (\(built.status)):\n\(built.error.suffix(3000))")
        let tarball = built.output.split(separator: "\n").last.map(String.init) ?? ""
        var arch = utsname()
        uname(&arch)
        let machine = withUnsafeBytes(of: &arch.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let name = "qlp-\(version)-linux-\(machine)"
        #expect(tarball == "dist/\(name).tar.gz", "the script printed '\(tarball)'")

        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let unpacked = try await Subprocess.run(["tar", "-C", scratch.path, "-xzf", Self.repository.path + "/" + tarball])
        #expect(unpacked.status == 0, "\(unpacked.error)")
        let root = scratch.path + "/" + name
        for file in [
            "qlp", "completions/qlp.bash", "completions/_qlp", "completions/qlp.fish", "man/qlp.1", "README.md",
            "LICENSE", "CHANGELOG.md", "config/qlp.yaml",
        ] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + file), "the tarball lacks \(file)")
        }

        let libraries = try await Subprocess.run(["ldd", root + "/qlp"])
        #expect(
            !libraries.output.contains("libswift") && !libraries.output.contains("libFoundation")
                && !libraries.output.contains("libdispatch"), "the binary still needs the toolchain:\n\(libraries.output)")
        #expect(!libraries.output.contains("not found"), "a library the binary needs is missing:\n\(libraries.output)")

        let printed = try await Subprocess.run(Self.bare([root + "/qlp", "--version"], home: scratch.path))
        #expect(printed.status == 0, "\(printed.error)")
        #expect(printed.output.trimmingCharacters(in: .whitespacesAndNewlines) == version, "printed '\(printed.output)'")

        // Every check of the demo's config against the embedded emulator, from the tarball's own directory.
        let doctor = try await Subprocess.run([
            "/bin/sh", "-c",
            "cd '\(root)' && exec "
                + Self.bare(["./qlp", "doctor", "--demo"], home: scratch.path).map(TmuxSession.quote).joined(separator: " "),
        ])
        #expect(doctor.status == 0, "\(doctor.output)\(doctor.error)")

        let completion = try await Subprocess.run(["bash", "-n", root + "/completions/qlp.bash"])
        #expect(completion.status == 0, "\(completion.error)")
        let zsh = try String(contentsOfFile: root + "/completions/_qlp", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef qlp"), "zsh completion starts: \(zsh.prefix(40))")

        // The dashboard itself, briefly, in a terminal, then q.
        let status = ExitStatusFile(scratch)
        let command = Self.bare(["TERM=screen", "./qlp", "demo"], home: scratch.path).map(TmuxSession.quote).joined(separator: " ")
        let tmux = try await TmuxSession.start(
            command: "sh -c \(TmuxSession.quote(status.recording("cd '\(root)' && \(command)")))",
            width: 80, height: 24, environment: [:])
        defer { tmux.kill() }
        try await tmux.waitFor("the demo's Overview", timeout: TmuxSession.firstScreenTimeout) {
            $0.contains("DEMO") && $0.contains("MONTHLY BUDGET")
        }
        try await tmux.send("q")
        let code = try await status.wait()
        #expect(code == "0", "qlp demo exited \(code ?? "(not at all)")")
    }
}
