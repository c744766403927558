import ArgumentParser
import Foundation

/// Prints a failure the way a person should read it (no stack trace, one
/// clear message on stderr) and exits non-zero.
enum CommandFailure {
    static func exit(_ message: String, code: Int32 = 2) -> ExitCode {
        FileHandle.standardError.write(Data("qlp: \(message)\n".utf8))
        return ExitCode(code)
    }
}
