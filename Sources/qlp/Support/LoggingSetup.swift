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

    static func toStandardError(level: Logger.Level, format: LogLineFormat = .stamped) {
        // Not swift-log's StreamLogHandler: it writes messages raw, and a log
        // line on stderr reaches the terminal like any other printed line.
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: .standardError, level: level, format: format) }
    }

    static func to(_ destination: LogDestination, level: Logger.Level) throws {
        switch destination {
        case .file(let path): _ = try toFile(path, level: level)
        case .standardError(let format): toStandardError(level: level, format: format)
        }
    }

    static var levelFromEnvironment: Logger.Level {
        ProcessInfo.processInfo.environment["QLP_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    }
}
