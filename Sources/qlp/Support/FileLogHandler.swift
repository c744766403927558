import Foundation
import Logging
import QLPCanvas
import QLPStore
import Synchronization

/// Appends log lines to a file (or, for the headless commands, to standard
/// error). The dashboard owns the terminal, so its logs must never go to the
/// screen; one shared file handle keeps lines whole.
struct FileLogHandler: LogHandler {
    final class Sink: Sendable {
        let path: String
        private let handle: Mutex<FileHandle>

        /// Standard error, for the headless commands (`qlp report`, `qlp emulate`).
        static let standardError = Sink(handle: FileHandle.standardError, path: "standard error")

        private init(handle: FileHandle, path: String) {
            self.path = path
            self.handle = Mutex(handle)
        }

        init(path: String) throws {
            self.path = path
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try OwnerOnlyFiles.makeDirectory(directory)
            }
            // 0600, and an older log left 0644 is tightened: it names endpoints, targets and failures.
            try OwnerOnlyFiles.prepareFile(path)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            self.handle = Mutex(handle)
        }

        func write(_ line: String) {
            handle.withLock { try? $0.write(contentsOf: Data(line.utf8)) }
        }
    }

    let label: String
    let sink: Sink
    let format: LogLineFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, sink: Sink, level: Logger.Level, format: LogLineFormat = .stamped) {
        self.label = label
        self.sink = sink
        self.format = format
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let stamp = Self.stamp(Date())
        let message = "\(event.message)"
        switch format {
        case .stamped, .unstamped:
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            sink.write(
                Self.line(
                    stamp: format == .stamped ? stamp : nil, level: event.level, label: label, message: message,
                    fields: fields))
        case .json:
            sink.write(
                Self.jsonLine(
                    stamp: stamp, level: event.level, label: label, message: message,
                    metadata: all.mapValues { "\($0)" }))
        }
    }

    /// "2026-01-05T10:00:00.000Z". The format style is FoundationEssentials'
    /// own code; ISO8601DateFormatter would load ICU into every process that logs.
    static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// One log line. Messages and metadata quote outside text (names,
    /// upstream error bodies, request headers): a line break in one must not
    /// forge a second entry, nor an escape sequence act on the terminal of
    /// whoever reads the log with `cat` or `tail -f`. The whole line goes
    /// through the sanitiser every printed line does, so it stays one line.
    /// - Parameter stamp: nil under journald, which stamps each line itself.
    static func line(stamp: String?, level: Logger.Level, label: String, message: String, fields: String) -> String {
        TerminalSafeText.printedLine("\(stamp.map { $0 + " " } ?? "")\(level) \(label): \(message)\(fields.isEmpty ? "" : " " + fields)")
            + "\n"
    }

    /// One JSON object on one line, for log collectors. JSON escapes line
    /// breaks and C0 controls; the sanitiser also takes out what it leaves
    /// (DEL, C1 controls, bidi overrides), as for a text line.
    static func jsonLine(stamp: String, level: Logger.Level, label: String, message: String, metadata: [String: String]) -> String {
        struct Entry: Encodable {
            var ts: String
            var level: String
            var label: String
            var msg: String
            var metadata: [String: String]
        }
        let entry = Entry(
            ts: stamp, level: level.rawValue, label: TerminalSafeText.printedLine(label),
            msg: TerminalSafeText.printedLine(message),
            metadata: Dictionary(
                uniqueKeysWithValues: metadata.map {
                    (TerminalSafeText.printedLine($0.key), TerminalSafeText.printedLine($0.value))
                }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings only: encoding cannot fail.
        let json = (try? encoder.encode(entry)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return json + "\n"
    }
}
