import Foundation
import Logging

/// Sends every logger in the process to one file (or to stderr for the
/// headless commands). Called once, before anything logs.
enum LoggingSetup {
    static func toFile(_ path: String, level: Logger.Level) throws -> FileLogHandler.Sink {
        let sink = try FileLogHandler.Sink(path: path)
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: sink, level: level) }
        return sink
    }

    static func toStandardError(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    static var levelFromEnvironment: Logger.Level {
        ProcessInfo.processInfo.environment["QLP_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    }
}
