import ArgumentParser
import Foundation
import QLPConfig
import QLPCore
import QLPHTTP
import QLPNotify

/// `qlp alerts test [SINK]`: a test message to each notification sink (or
/// the one named), and what each receiver answered.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Alert notifications: check the configured sinks.",
        subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test message to each notification sink and say what each answered.",
            discussion: """
                The message says it is a test (the webhook body has "test": true) and is sent at once, \
                not through the outbox. Exit status 0 when every sink took it, 1 when one did not, \
                2 for a config problem or an unknown sink name.
                """)

        @Argument(help: ArgumentHelp("Only this sink (its `name` in notifications.sinks).", valueName: "sink"))
        var sink: String?

        @Option(help: ArgumentHelp("Config file (default lookup as for the dashboard).", valueName: "file"))
        var config: String?

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            // An email sink's keyvault:// password becomes the secret it names, as for the gateway.
            let (location, settings) = try await GatewaySecrets.loadResolved(flag: config, environment: environment)
            let sinks = settings.notifications.sinks
            guard !sinks.isEmpty else {
                throw CommandFailure.exit("\(location.path): no notification sinks are configured (notifications.sinks)")
            }
            let chosen: [NotificationSink]
            if let name = sink {
                guard let one = settings.notifications.sink(named: name) else {
                    let hint = CommandSuggestion.nearest(to: name, among: sinks.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                    throw CommandFailure.exit(
                        "no sink named '\(name)' in \(location.path)\(hint) (sinks: \(sinks.map(\.name).joined(separator: ", ")))")
                }
                chosen = [one]
            } else {
                chosen = sinks
            }
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let tester = SinkTest(transport: transport, mailer: SMTPAlertMailer())
            var failed = 0
            for sink in chosen {
                let result = await tester.sendTest(to: sink)
                Console.out("\(result.isOK ? "OK  " : "FAIL") \(result)")
                if !result.isOK { failed += 1 }
            }
            if failed > 0 {
                throw CommandFailure.runtime(
                    "\(failed) of \(chosen.count) sink\(chosen.count == 1 ? "" : "s") did not take the test message")
            }
        }
    }
}
