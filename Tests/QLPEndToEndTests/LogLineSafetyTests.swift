import Foundation
import Logging
import Testing

@testable import qlp

/// Issue 14, finding 9: a log line quoting outside text (an upstream's error
/// body, a resource name, a header) stays one line, with nothing in it that
/// acts on the terminal of whoever reads the log with `cat` or `tail -f`.
@Suite struct LogLineSafetyTests {
    @Test func finding09_aLogLineWithHostileTextStaysOneInertLine() throws {
        let path = NSTemporaryDirectory() + "qlp-log-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try FileLogHandler.Sink(path: path)
        let logger = Logger(label: "qlp.test") { FileLogHandler(label: $0, sink: sink, level: .trace) }
        let hostile = "name\u{1B}[2J\u{1B}]0;PWNED\u{07}\u{9B}6n\r\nFORGED 2026-01-01T00:00:00Z error qlp.admin: token leaked\u{202E}"
        logger.warning("upstream said: \(hostile)", metadata: ["resource": "\(hostile)"])
        logger.info("plain line")

        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "two lines, each ended: \(text.debugDescription)")
        let bad = text.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
        }
        #expect(bad.isEmpty, "\(bad.map { String($0.value, radix: 16) }) in \(text.debugDescription)")
        #expect(!lines.contains { $0.hasPrefix("FORGED") })
        #expect(lines[0].contains("upstream said: name??"), "\(lines[0])")
        #expect(lines[0].contains("resource=name??"), "\(lines[0])")
        #expect(!text.contains("PWNED"))
    }
}
