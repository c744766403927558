import ArgumentParser
import Foundation
import QLPCanvas
import QLPConfig
import QLPCore
import QLPGateway
import QLPHTTP
import QLPRouting
import QLPStore

/// `qlp routes`: read and change the routes of a running gateway through its
/// admin API. Every change is versioned (a change made against a table someone
/// else has changed since is refused) and audited with who made it and why.
struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "Show and change a running gateway's routes.",
        discussion: """
            Talks to the admin API of a running `qlp demo`, `qlp dash` or `qlp gateway`: the one named \
            by --admin, else the newest that announced itself in the state directory (running/<pid>.json; \
            stderr says which), else gateway.admin_listen (127.0.0.1:8089 by default). The token is \
            $QLP_ADMIN_TOKEN, else gateway.admin_token; a demo found this way gives its own. Changes are \
            recorded as the token's name and your $USER (admin/alice); with the gateway's viewer token \
            (read only) show and audit work and changes are refused.
            """,
        subcommands: [Show.self, SetWeights.self, Drain.self, Undrain.self, Undo.self, Audit.self, SuspendRule.self, ResumeRule.self],
        defaultSubcommand: Show.self)

    /// Where the admin API is and how to authenticate to it.
    struct Connection: ParsableArguments {
        @Option(help: ArgumentHelp("Config file (default lookup as for the dashboard).", valueName: "file"))
        var config: String?

        @Option(
            help: ArgumentHelp(
                "The admin API's base URL (default: a running demo or gateway found in the state "
                    + "directory, else the config's gateway.admin_listen).", valueName: "url"))
        var admin: String?

        func client() throws -> AdminAPIClient {
            let environment = ProcessInfo.processInfo.environment
            var settings: GatewaySettings?
            var stateDirectory = DashboardSettings.defaultStateDirectory(environment: environment)
            // With no config found, a running demo (or --admin with $QLP_ADMIN_TOKEN) needs none; one named must exist.
            var configProblem: String?
            var location: ConfigLocation?
            do {
                location = try ConfigLoader.locate(flag: config, environment: environment)
            } catch {
                if config != nil { throw CommandFailure.exit("\(error)") }
                configProblem = "\(error)"
            }
            if let location {
                do {
                    let loaded = try ConfigLoader.load(location, environment: environment, requireAzure: false)
                    settings = loaded.gateway
                    stateDirectory = loaded.dashboard.stateDirectory
                } catch {
                    // A config that is there must be right, unless --admin alone is meant (it was never needed then).
                    if admin == nil || config != nil { throw CommandFailure.exit("\(error)") }
                }
            }
            let envToken = environment["QLP_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : Secret($0) }
            let actor = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "qlp-cli"
            func client(_ base: String, _ token: Secret?) -> AdminAPIClient {
                AdminAPIClient(baseURL: base, token: token, actor: actor, transport: CurlTransport(maxConcurrentTransfers: 1))
            }
            // --admin says where; the token is then the environment's or the config's.
            if let admin { return client(admin, envToken ?? settings?.adminToken) }
            if let found = Self.discover(stateDirectory: stateDirectory) {
                // A demo's address and its own token go together (the environment's token is for a real gateway);
                // a gateway's file holds no token, which stays the environment's or the config's.
                let token = found.adminToken.map(Secret.init) ?? envToken ?? settings?.adminToken
                return client(found.admin, token)
            }
            if let configProblem { throw CommandFailure.exit(configProblem) }
            return client(
                settings.map(AdminAPIClient.baseURL(for:)) ?? AdminAPIClient.baseURL(for: GatewaySettings()),
                envToken ?? settings?.adminToken)
        }

        /// The newest running demo or gateway that announced itself in
        /// `stateDirectory`/running, said on stderr; files left by processes
        /// that are gone are passed over, said, and removed.
        static func discover(stateDirectory: String) -> RunningGateway? {
            let scan = RunningGatewayDirectory.scan(stateDirectory: stateDirectory)
            for (path, gateway) in scan.stale {
                CommandFailure.say(
                    "ignoring \(path): pid \(gateway.pid) is not running (left by a \(gateway.kind.rawValue) "
                        + "that did not stop cleanly; removed)")
                unlink(path)
            }
            for (path, reason) in scan.unreadable { CommandFailure.say("ignoring \(path): \(reason)") }
            guard let found = scan.live.first?.gateway else { return nil }
            CommandFailure.say("using \(found.kind.phrase) at \(found.gateway) (admin \(found.admin), pid \(found.pid))")
            return found
        }
    }

    /// Options every change takes.
    struct ChangeOptions: ParsableArguments {
        @Option(help: "Why, for the audit log.")
        var reason: String?

        @Option(
            help: ArgumentHelp(
                "The table version this change is made against (default: the current one, read first).",
                valueName: "n"))
        var version: Int?

        func version(from client: AdminAPIClient) async throws -> Int {
            if let version { return version }
            return try await run { () async throws(AdminAPIError) in try await client.routes().version }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the route table in force (the default).")
        @OptionGroup var connection: Connection
        @Flag(help: "Print the admin API's JSON instead.") var json = false

        func run() async throws {
            let client = try connection.client()
            let view = try await RoutesCommand.run { () async throws(AdminAPIError) in try await client.routes() }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                // The encoder escapes every control character; printed as it is, so the JSON stays exact.
                print(String(decoding: try encoder.encode(view), as: UTF8.self))
            } else {
                Console.out(RouteTableText.render(view, source: client.baseURL), terminator: "")
            }
        }
    }

    struct SetWeights: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Set a route's weights.",
            discussion: "Example: qlp routes set chat gpt4=20 gpt35=60 llama3=20 --reason \"gpt4 over budget\"")
        @OptionGroup var connection: Connection
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The route, e.g. chat.") var route: String
        @Argument(
            help: ArgumentHelp(
                "Target weights in percentage points, summing to 100 for a weighted route.",
                valueName: "target=weight")) var weights: [String]

        func validate() throws {
            _ = try parsedWeights()
        }

        func parsedWeights() throws -> [String: Int] {
            guard !weights.isEmpty else { throw ValidationError("give at least one target=weight, e.g. gpt4=20") }
            var out: [String: Int] = [:]
            for item in weights {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let weight = Int(parts[1]) else {
                    throw ValidationError("'\(item)' is not target=weight (a whole number of percentage points), e.g. gpt4=20")
                }
                guard out[parts[0]] == nil else { throw ValidationError("target '\(parts[0])' is given twice") }
                out[parts[0]] = weight
            }
            return out
        }

        func run() async throws {
            let client = try connection.client()
            let weights = try parsedWeights()
            let version = try await change.version(from: client)
            let reply = try await RoutesCommand.run { () async throws(AdminAPIError) in
                try await client.setWeights(route: route, weights: weights, version: version, reason: change.reason)
            }
            RoutesCommand.report(reply)
        }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a target out of every route.")
        @OptionGroup var connection: Connection
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The target, e.g. gpt4.") var target: String

        func run() async throws {
            let client = try connection.client()
            let version = try await change.version(from: client)
            RoutesCommand.report(
                try await RoutesCommand.run { () async throws(AdminAPIError) in
                    try await client.drain(target: target, version: version, reason: change.reason)
                })
        }
    }

    struct Undrain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a drained target back into its routes.")
        @OptionGroup var connection: Connection
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The target, e.g. gpt4.") var target: String

        func run() async throws {
            let client = try connection.client()
            let version = try await change.version(from: client)
            RoutesCommand.report(
                try await RoutesCommand.run { () async throws(AdminAPIError) in
                    try await client.undrain(target: target, version: version, reason: change.reason)
                })
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put back the table as it was before the last change (as a new version).")
        @OptionGroup var connection: Connection
        @OptionGroup var change: ChangeOptions

        func run() async throws {
            let client = try connection.client()
            // Without --version the undo applies to whatever the last change is; with it, only if that is still so.
            RoutesCommand.report(
                try await RoutesCommand.run { () async throws(AdminAPIError) in
                    try await client.undo(version: change.version, reason: change.reason)
                })
        }
    }

    struct SuspendRule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "suspend-rule", abstract: "Override a budget routing rule: it stops moving traffic until resumed.")
        @OptionGroup var connection: Connection
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The rule, e.g. openai_over_95.") var rule: String

        func run() async throws {
            let client = try connection.client()
            let version = try await change.version(from: client)
            RoutesCommand.report(
                try await RoutesCommand.run { () async throws(AdminAPIError) in
                    try await client.suspendRule(rule, suspended: true, version: version, reason: change.reason)
                })
        }
    }

    struct ResumeRule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume-rule", abstract: "Lift the override of a budget routing rule.")
        @OptionGroup var connection: Connection
        @OptionGroup var change: ChangeOptions
        @Argument(help: "The rule, e.g. openai_over_95.") var rule: String

        func run() async throws {
            let client = try connection.client()
            let version = try await change.version(from: client)
            RoutesCommand.report(
                try await RoutesCommand.run { () async throws(AdminAPIError) in
                    try await client.suspendRule(rule, suspended: false, version: version, reason: change.reason)
                })
        }
    }

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the audit log of route changes, newest first.")
        @OptionGroup var connection: Connection
        @Option(help: "How many entries.") var limit = 20

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
        }

        func run() async throws {
            let client = try connection.client()
            let view = try await RoutesCommand.run { () async throws(AdminAPIError) in try await client.audit(limit: limit) }
            Console.out(RouteTableText.audit(view.entries), terminator: "")
        }
    }

    /// Runs an admin call, turning its error into one clear line on stderr.
    static func run<T>(_ call: () async throws(AdminAPIError) -> T) async throws -> T {
        do {
            return try await call()
        } catch {
            throw CommandFailure.exit(error.description, code: error.exitCode)
        }
    }

    static func report(_ reply: AdminChangeView) {
        let entry = reply.entry
        Console.out(TerminalSafeText.printedLine(entry.summary) + " (version \(entry.fromVersion) → \(reply.version), audit #\(entry.id))")
    }
}

extension AdminAPIError {
    /// The README's exit statuses, so scripts can tell these apart: 3 a
    /// conflict (retry), 4 a refusal (fix the request), 2 a token or setup
    /// that is wrong (fix the config), 1 a gateway that cannot be reached or
    /// answered what no client expects (try again later).
    var exitCode: Int32 {
        switch self {
        case .conflict: ExitStatus.conflict
        case .badRequest, .notFound, .invalid: ExitStatus.refused
        case .noToken, .unauthorized, .forbidden: ExitStatus.usage
        case .unreachable, .unavailable, .unexpected: ExitStatus.failure
        }
    }
}
