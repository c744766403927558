import ArgumentParser
import Foundation
import QLPCore
import QLPGateway
import QLPStore

/// `qlp keys`: the gateway's virtual keys, each with a name and its own
/// limits (budget, requests and tokens per minute, routes, expiry). The key
/// is printed once, by `create` and `rotate`; the store keeps its SHA-256.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list, show, revoke and rotate the gateway's client keys.",
        discussion: """
            Keys live in the state directory's keys.sqlite (demo-keys.sqlite with --demo), which every \
            gateway using that directory reads: a change takes effect within a second, with no restart. \
            Only each key's SHA-256 is kept; `create` and `rotate` print the key once, alone on standard \
            output (KEY=$(qlp keys create app)). Keys listed in the config's gateway.client_key_sha256 are \
            shown as config-1, config-2…; they keep working, and are removed by editing the config. See docs/keys.md.
            """,
        subcommands: [Create.self, List.self, Show.self, Revoke.self, Rotate.self],
        defaultSubcommand: List.self)

    /// Which store: the config's state directory, or the demo's store in it.
    struct StoreOptions: ParsableArguments {
        @Option(help: ArgumentHelp("Config file (default lookup as for the dashboard).", valueName: "file"))
        var config: String?

        @Flag(help: "The demo's keys (demo-keys.sqlite), which `qlp demo`'s gateway uses.")
        var demo = false

        func open() throws -> KeyStoreContext {
            try KeyStoreContext.open(configFlag: config, demo: demo, environment: ProcessInfo.processInfo.environment)
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print it (once).",
            discussion: """
                Example: qlp keys create mobile-app --budget 20 --period month --rpm 60 --routes chat,code. \
                The budget is in the budget currency (budget.currency) over calendar periods in \
                budget.billing_time_zone; --expires DAY lets the key work through the end of that day there.
                """)
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The key's name: letters, digits, '.', '_' or '-', up to 64.", valueName: "name"))
        var name: String
        // .unconditional: "--budget -5" is a value to refuse by name, not a missing one and an unknown option.
        @Option(
            parsing: .unconditional,
            help: ArgumentHelp("Spending limit per period, in the budget currency (e.g. 20 or 12.50).", valueName: "amount"))
        var budget: String?
        @Option(help: ArgumentHelp("The budget's period: day, week or month (default: month).", valueName: "period"))
        var period: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Requests per minute.", valueName: "n"))
        var rpm: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Tokens per minute.", valueName: "n"))
        var tpm: String?
        @Option(help: ArgumentHelp("The only routes the key may use, comma-separated (default: all).", valueName: "routes"))
        var routes: String?
        @Option(help: ArgumentHelp("The last day the key works (YYYY-MM-DD, in the billing time zone).", valueName: "day"))
        var expires: String?

        func run() throws {
            let now = Date()
            // The name and the numbers first: a typo is refused before any file is opened.
            let name = try KeysCommand.checked { () throws(KeyArguments.Problem) in try KeyArguments.name(self.name) }
            let context = try store.open()
            let limits = try KeysCommand.checked { () throws(KeyArguments.Problem) in
                KeyLimits(
                    requestsPerMinute: try KeyArguments.limit(rpm, option: "--rpm", unit: "requests per minute"),
                    tokensPerMinute: try KeyArguments.limit(tpm, option: "--tpm", unit: "tokens per minute"),
                    budget: try KeyArguments.budget(budget, period: period, currency: context.currency),
                    routes: try KeyArguments.routes(routes, known: context.routeNames, file: context.configName))
            }
            let expiresAt = try KeysCommand.checked { () throws(KeyArguments.Problem) in
                try KeyArguments.expiry(expires, timeZone: context.timeZone, now: now)
            }
            let material = KeyMaterial.generate()
            let key = VirtualKey(
                name: name, digest: ClientKeys.hexDigest(of: material), origin: .store, createdAt: now,
                expiresAt: expiresAt, limits: limits)
            do throws(KeyStoreError) {
                try context.store.create(key)
            } catch {
                throw KeyStoreContext.failure(error)
            }
            Console.out(material)
            let text = KeysCommand.text(context)
            var notes =
                "qlp: created key '\(name)' (\(text.limitsSummary(key))). The key (standard output) is shown only this once: "
                + "only its SHA-256 is kept. Gateways using \(context.storePath) accept it within a second."
            if limits.routes != nil, context.configuration == nil {
                notes += " No config was found, so the routes were not checked."
            }
            Console.error(notes)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every key, revoked and expired ones too.")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("table or json.", valueName: "format"))
        var format: String = "table"

        func run() throws {
            guard format == "table" || format == "json" else {
                throw CommandFailure.exit("--format '\(format)': expected table or json")
            }
            let now = Date()
            let context = try store.open()
            let keys = try context.allKeys(now: now)
            let text = KeysCommand.text(context)
            if format == "json" {
                Console.out(try text.json(keys, now: now), terminator: "")
            } else if !keys.isEmpty {
                Console.out(text.table(keys, now: now), terminator: "")
            }
            if keys.isEmpty {
                Console.error("qlp: no keys yet: qlp keys create NAME (store: \(context.storePath))")
            } else if format == "table", keys.contains(where: { $0.origin == .config }) {
                Console.error(
                    "qlp: config-N keys are listed in gateway.client_key_sha256 of \(context.configName ?? "the config"); "
                        + "remove one there to revoke it")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one key's facts (never the key).")
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The key's name.", valueName: "name"))
        var name: String

        func run() throws {
            let now = Date()
            let context = try store.open()
            let key = try KeysCommand.find(name, in: context, now: now)
            Console.out(
                KeysCommand.text(context).details(key, now: now, configName: context.configName, storePath: context.storePath),
                terminator: "")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: it is refused from now on, and stays listed.",
            discussion: "A revoked key's name stays taken, so that the usage ledger's rows under it stay unambiguous.")
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The key's name.", valueName: "name"))
        var name: String

        func run() throws {
            let now = Date()
            let context = try store.open()
            try KeysCommand.refuseConfigKey(name, verb: "revoke", in: context, now: now)
            do throws(KeyStoreError) {
                _ = try context.store.revoke(named: name, at: now)
            } catch {
                throw KeyStoreContext.failure(error)
            }
            Console.error("qlp: revoked key '\(name)': gateways using \(context.storePath) refuse it within a second")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a key with a new one under the same name and limits, and print it (once).",
            discussion:
                "The old key stops working at once (within a second on running gateways); the budget spent so far stays with the name.")
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The key's name.", valueName: "name"))
        var name: String

        func run() throws {
            let now = Date()
            let context = try store.open()
            try KeysCommand.refuseConfigKey(name, verb: "rotate", in: context, now: now)
            let material = KeyMaterial.generate()
            let key: VirtualKey
            do throws(KeyStoreError) {
                key = try context.store.rotate(named: name, digest: ClientKeys.hexDigest(of: material), at: now)
            } catch .alreadyRevoked {
                throw CommandFailure.exit(
                    "the key '\(name)' is revoked, and a revoked key stays revoked; "
                        + "create a new one under another name (qlp keys create NAME)")
            } catch {
                throw KeyStoreContext.failure(error)
            }
            Console.out(material)
            let text = KeysCommand.text(context)
            var notes =
                "qlp: rotated key '\(name)' (\(text.limitsSummary(key))). The key (standard output) is shown only this once: "
                + "only its SHA-256 is kept. The old key stops working on gateways using \(context.storePath) within a second."
            if KeysText.state(of: key, at: now) == .expired { notes += " The key is expired, so the new one is refused too." }
            Console.error(notes)
        }
    }

    // MARK: - Shared

    static func text(_ context: KeyStoreContext) -> KeysText {
        let utf8 = LocaleCharset.isUTF8(environment: ProcessInfo.processInfo.environment)
        return KeysText(
            billingTimeZone: context.timeZone, currency: context.currency,
            money: utf8 ? .standard : MoneyFormat(symbolOverride: "\(context.currency.code) "))
    }

    /// A key by name, the config's included.
    static func find(_ name: String, in context: KeyStoreContext, now: Date) throws -> VirtualKey {
        if let key = try context.configKeys(now: now).first(where: { $0.name == name }) { return key }
        do throws(KeyStoreError) {
            guard let key = try context.store.key(named: name) else { throw KeyStoreError.unknownKey(name) }
            return key
        } catch {
            throw KeyStoreContext.failure(error)
        }
    }

    /// The config's keys are the config's to change.
    static func refuseConfigKey(_ name: String, verb: String, in context: KeyStoreContext, now: Date) throws {
        guard try context.configKeys(now: now).contains(where: { $0.name == name }) else { return }
        throw CommandFailure.exit(
            "'\(name)' is listed in gateway.client_key_sha256 of \(context.configName ?? "the config"), "
                + "so qlp keys cannot \(verb) it: remove (or replace) its digest there and restart the gateway")
    }

    /// A command-line value's problem as a usage error (exit 2) naming it.
    static func checked<T>(_ body: () throws(KeyArguments.Problem) -> T) throws -> T {
        do throws(KeyArguments.Problem) {
            return try body()
        } catch {
            throw CommandFailure.exit(error.description)
        }
    }
}
