import Foundation

/// Locates the copied fixtures next to this file.
enum FixtureFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Every file under a folder of the fixtures, sorted, as paths relative to `root`.
    static func files(under folder: String, withExtension ext: String) -> [String] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".\(ext)") }
            .map { "\(folder)/\($0)" }
            .sorted()
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relative)))
    }
}

/// Re-extracts the exact bytes of responses["200"].body, so decoders under
/// test read the original number literals (JSONSerialization would round
/// them through Double).
enum ExampleBody {
    static func bytes(of file: [UInt8]) throws -> [UInt8] {
        let text = String(decoding: file, as: UTF8.self)
        guard let responses = text.range(of: "\"responses\""),
            let ok = text.range(of: "\"200\"", range: responses.upperBound..<text.endIndex),
            let body = text.range(of: "\"body\"", range: ok.upperBound..<text.endIndex),
            let open = text[body.upperBound...].firstIndex(where: { $0 == "{" || $0 == "[" })
        else {
            throw CocoaError(.fileReadCorruptFile)
        }
        // Walk to the matching close bracket, skipping string contents.
        var depth = 0
        var inString = false
        var escaped = false
        var index = open
        while index < text.endIndex {
            let c = text[index]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "{" || c == "[" {
                depth += 1
            } else if c == "}" || c == "]" {
                depth -= 1
                if depth == 0 { return Array(text[open...index].utf8) }
            }
            index = text.index(after: index)
        }
        throw CocoaError(.fileReadCorruptFile)
    }
}
