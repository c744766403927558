import ArgumentParser
import Foundation

/// What qlp's exit status says, one meaning per number, for every command
/// (the README's "Exit status" table).
enum ExitStatus {
    /// A runtime failure: Azure, the network, a file that cannot be written,
    /// a failed `qlp doctor` check. Running it again later may work.
    static let failure: Int32 = 1
    /// A usage error: the command line, the config or an input file is wrong,
    /// and the message names what. Running it again unchanged will not work.
    /// (ArgumentParser's own 64 is mapped to this: one number per kind.)
    static let usage: Int32 = 2
    /// `qlp routes` only: the route table changed under the change (409); read it again and retry.
    static let conflict: Int32 = 3
    /// `qlp routes` only: the gateway refused the change itself (400, 404, 422); fix the request.
    static let refused: Int32 = 4
    // 64 (ArgumentParser's EX_USAGE) is never an exit status: QLP.main maps it to `usage`.
    // The dashboard exits 128 + N when signal N ended it (DashboardExit), as shells do.
}

/// Prints a failure the way a person should read it (no stack trace, one
/// clear message on stderr, made printable: it often quotes outside text)
/// and exits non-zero.
enum CommandFailure {
    static func exit(_ message: String, code: Int32 = ExitStatus.usage) -> ExitCode {
        say(message)
        return ExitCode(code)
    }

    /// A failure of something outside the command line: Azure, the network, the disk.
    static func runtime(_ message: String) -> ExitCode {
        exit(message, code: ExitStatus.failure)
    }

    /// One "qlp: " before every message, never two: some errors name their
    /// source "qlp" themselves (the config search: "qlp: no config file found").
    static func say(_ message: String) {
        Console.error(message.hasPrefix("qlp: ") ? message : "qlp: " + message)
    }
}
