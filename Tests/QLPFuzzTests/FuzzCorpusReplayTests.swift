import Foundation
import QLPFuzz
import Testing

/// Replays every committed fuzz input through its target: the seeds (so the
/// targets keep accepting real payloads without trapping) and every input
/// libFuzzer ever crashed on (Fuzz/regressions/TARGET/), each of which
/// crashed the code of its commit and must never crash again.
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let folder = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("every target has a seed corpus", arguments: FuzzTarget.allCases)
    func seedsExist(_ target: FuzzTarget) {
        #expect(!Self.inputs("corpus", target).isEmpty, "Fuzz/corpus/\(target.rawValue) is empty")
    }

    @Test("seeds and past crashers run through their target", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        for file in Self.inputs("corpus", target) + Self.inputs("regressions", target) {
            target.run(Array(try Data(contentsOf: file)))
        }
    }
}
