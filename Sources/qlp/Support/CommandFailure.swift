import ArgumentParser
import Foundation

/// Prints a failure the way a person should read it (no stack trace, one
/// clear message on stderr, made printable: it often quotes outside text)
/// and exits non-zero.
enum CommandFailure {
    static func exit(_ message: String, code: Int32 = 2) -> ExitCode {
        Console.error("qlp: \(message)")
        return ExitCode(code)
    }
}
