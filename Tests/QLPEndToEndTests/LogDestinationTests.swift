import Foundation
import Logging
import Testing

@testable import qlp

/// Issue 16, item 5: where `qlp gateway` logs and how each line looks. On a
/// terminal, the log file; under a service manager (stderr not a terminal, or
/// --log-format), standard error, without timestamps under journald, or as
/// JSON lines that stay one inert line each whatever the text logged.
@Suite struct LogDestinationTests {
    @Test func aTerminalKeepsTheLogFileAndAServiceManagerGetsStandardError() {
        func choose(_ format: LogFormat?, terminal: Bool, journal: Bool) -> LogDestination {
            LogDestination.choose(format: format, standardErrorIsTerminal: terminal, underJournal: journal, logFile: "/l.log")
        }
        #expect(choose(nil, terminal: true, journal: false) == .file("/l.log"))
        #expect(choose(nil, terminal: false, journal: false) == .standardError(.stamped))
        // journald stamps each line itself.
        #expect(choose(nil, terminal: false, journal: true) == .standardError(.unstamped))
        #expect(choose(.text, terminal: true, journal: false) == .standardError(.stamped))
        #expect(choose(.text, terminal: false, journal: true) == .standardError(.unstamped))
        #expect(choose(.json, terminal: true, journal: true) == .standardError(.json))
        #expect(
            LogDestination.choose(format: nil, logFile: "/l.log", environment: ["JOURNAL_STREAM": "8:1234"])
                != .standardError(.stamped))
    }

    @Test func aTextLineUnderJournaldHasNoTimestamp() {
        let line = FileLogHandler.line(
            stamp: nil, level: .info, label: "qlp.gateway", message: "gateway draining", fields: "signal=SIGTERM")
        #expect(line == "info qlp.gateway: gateway draining signal=SIGTERM\n")
        let stamped = FileLogHandler.line(stamp: "2026-01-05T10:00:00.000Z", level: .info, label: "qlp.gateway", message: "m", fields: "")
        #expect(stamped == "2026-01-05T10:00:00.000Z info qlp.gateway: m\n")
    }

    @Test func theStampIsUTCWithMilliseconds() {
        // 2026-01-05T10:00:00Z and 250 ms; whatever the process's time zone.
        #expect(FileLogHandler.stamp(Date(timeIntervalSince1970: 1_767_607_200.25)) == "2026-01-05T10:00:00.250Z")
        #expect(FileLogHandler.stamp(Date(timeIntervalSince1970: 1_767_607_200)) == "2026-01-05T10:00:00.000Z")
    }

    @Test func aJSONLineIsOneObjectWithItsFieldsAndNothingThatActsOnATerminal() throws {
        let hostile = "name\u{1B}[2J\u{9B}6n\r\nFORGED\u{202E}"
        let line = FileLogHandler.jsonLine(
            stamp: "2026-01-05T10:00:00.000Z", level: .error, label: "qlp.gateway",
            message: "config reload failed \(hostile)", metadata: ["errors": "gw.yaml:12:3: \(hostile)"])
        #expect(line.hasSuffix("}\n") && line.dropLast().allSatisfy { $0 != "\n" }, "\(line.debugDescription)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["ts"] as? String == "2026-01-05T10:00:00.000Z")
        #expect(object["level"] as? String == "error")
        #expect(object["label"] as? String == "qlp.gateway")
        let message = try #require(object["msg"] as? String)
        let errors = try #require((object["metadata"] as? [String: Any])?["errors"] as? String)
        #expect(message.hasPrefix("config reload failed name") && errors.hasPrefix("gw.yaml:12:3: name"))
        for text in [message, errors, line] {
            let bad = text.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
            }
            #expect(bad.isEmpty, "\(bad.map { String($0.value, radix: 16) }) in \(text.debugDescription)")
        }
    }
}
