import Foundation
import QLPCanvas

/// Standard output and error as qlp writes them: every line made printable
/// (`TerminalSafeText.printedLines`), so a name, a reason or an error body
/// from outside cannot clear the screen, retitle the terminal, forge a line
/// or reorder text. The one way the commands print; the log handler and the
/// report renderers use the same sanitiser.
enum Console {
    static func out(_ text: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((TerminalSafeText.printedLines(text) + terminator).utf8))
    }

    static func error(_ text: String, terminator: String = "\n") {
        FileHandle.standardError.write(Data((TerminalSafeText.printedLines(text) + terminator).utf8))
    }
}
