import Foundation
import QLPCore
import Testing

/// The repository's VERSION file, found from this test file's own path.
private let versionFilePath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("VERSION").path

@Suite("VERSION and QLPVersion.current")
struct VersionFileTests {
    /// scripts/release names the tarball from VERSION and the binary prints
    /// QLPVersion.current: a release whose name and `--version` disagree is
    /// caught here, before anyone builds it.
    @Test func versionFileMatchesTheCompiledVersion() throws {
        let text = try String(contentsOfFile: versionFilePath, encoding: .utf8)
        let version = text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            version == QLPVersion.current,
            "VERSION says '\(version)' but QLPVersion.current (Sources/QLPCore/Release/QLPVersion.swift) is '\(QLPVersion.current)'")
        #expect(text == version + "\n", "VERSION is one line, the version and a newline")
    }

    /// Semantic versioning's MAJOR.MINOR.PATCH: the tarball's name and the
    /// CHANGELOG's headings use it.
    @Test func versionIsMajorMinorPatch() {
        let parts = QLPVersion.current.split(separator: ".", omittingEmptySubsequences: false)
        #expect(
            parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) },
            "'\(QLPVersion.current)' is not MAJOR.MINOR.PATCH")
    }
}
