import Foundation
import Logging
import QLPStore
import QLPCanvas
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
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, sink: Sink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!,
                                                formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        sink.write(Self.line(stamp: stamp, level: event.level, label: label, message: "\(event.message)", fields: fields))
    }

    /// One log line. Messages and metadata quote outside text (names,
    /// upstream error bodies, request headers): a line break in one must not
    /// forge a second entry, nor an escape sequence act on the terminal of
    /// whoever reads the log with `cat` or `tail -f`. The whole line goes
    /// through the sanitiser every printed line does, so it stays one line.
    static func line(stamp: String, level: Logger.Level, label: String, message: String, fields: String) -> String {
        TerminalSafeText.printedLine("\(stamp) \(level) \(label): \(message)\(fields.isEmpty ? "" : " " + fields)") + "\n"
    }
}
