import ArgumentParser
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// How each log line is written.
enum LogLineFormat: Equatable {
    /// `2026-01-05T10:00:00.000Z info qlp.gateway: message key=value`, for files and plain stderr.
    case stamped
    /// The same without the time: journald stamps every line it receives itself.
    case unstamped
    /// One JSON object per line (ts, level, label, msg, metadata), for log collectors.
    case json
}

/// `--log-format`: what a service manager's log collector reads on standard error.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Where `qlp gateway` logs. On a terminal its stderr is a person's screen,
/// so it logs to the log file as the dashboard does; run by a service
/// manager (systemd, Kubernetes, a container runtime) its stderr is what the
/// manager collects, so it logs there, one line per event.
enum LogDestination: Equatable {
    case file(String)
    case standardError(LogLineFormat)

    /// - Parameters:
    ///   - format: `--log-format`, which always means standard error.
    ///   - underJournal: `$JOURNAL_STREAM` is set (systemd connected stderr to journald).
    static func choose(format: LogFormat?, standardErrorIsTerminal: Bool, underJournal: Bool, logFile: String) -> LogDestination {
        switch format {
        case .json: return .standardError(.json)
        case .text: return .standardError(underJournal ? .unstamped : .stamped)
        case nil: return standardErrorIsTerminal ? .file(logFile) : .standardError(underJournal ? .unstamped : .stamped)
        }
    }

    /// For this process: its stderr and its environment.
    static func choose(format: LogFormat?, logFile: String, environment: [String: String]) -> LogDestination {
        choose(
            format: format, standardErrorIsTerminal: isatty(STDERR_FILENO) == 1,
            underJournal: !(environment["JOURNAL_STREAM"] ?? "").isEmpty, logFile: logFile)
    }

    /// What the banner says about where the logs are.
    var description: String {
        switch self {
        case .file(let path): path
        case .standardError(.json): "standard error (JSON lines)"
        case .standardError: "standard error"
        }
    }
}
