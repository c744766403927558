import ArgumentParser
import Foundation
import QLPCore

@main
struct QLP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qlp",
        abstract: "The QuantumLayer Platform operations console.",
        discussion: """
            A terminal dashboard for Azure spend against the credit allocation and the monthly \
            budget, with an emulator of Azure's APIs for trying it without an account. \
            Exit status: 0 done, 1 a runtime failure (Azure, the network, a file), 2 a usage \
            error (the command line, the config or an input file); `qlp routes` adds 3 (a \
            conflicting change) and 4 (a refused change).
            """,
        version: QLPVersion.current,
        subcommands: [
            DashCommand.self, DemoCommand.self, ReportCommand.self, DoctorCommand.self, EmulateCommand.self, GatewayCommand.self,
            RoutesCommand.self, AlertsCommand.self, KeysCommand.self,
        ],
        defaultSubcommand: DashCommand.self)

    /// ArgumentParser's own main, with qlp's one prefix and exit statuses
    /// (ExitStatus), and a word that is no command answered as a typo rather
    /// than handed to `dash` as its options.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let word = arguments.first, !word.hasPrefix("-") {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            if !names.contains(word), word != "help" {
                let hint = CommandSuggestion.nearest(to: word, among: names).map { "; did you mean `qlp \($0)`?" } ?? ""
                CommandFailure.say("unknown command '\(word)'\(hint) (commands: \(names.joined(separator: ", ")); see `qlp --help`)")
                exit(withError: ExitCode(ExitStatus.usage))
            }
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Already said (CommandFailure), or help and --version: as ArgumentParser has it.
            if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            var text = fullMessage(for: error)
            if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
            CommandFailure.say(text)
            let code = exitCode(for: error)
            exit(withError: ExitCode(code == .validationFailure ? ExitStatus.usage : code.rawValue))
        }
    }
}
