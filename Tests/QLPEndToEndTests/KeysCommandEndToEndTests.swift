import Foundation
import QLPCore
import QLPStore
import Testing

/// `qlp keys` as a person and a script use it: the real binary, a scratch
/// state directory, and the store file it leaves behind.
@Suite struct KeysCommandEndToEndTests {
    /// The binary started in `scratch` (not the repository, whose
    /// config/qlp.yaml it would otherwise find), with scratch XDG directories.
    func run(_ arguments: [String], in scratch: ScratchDirectory) async throws -> Subprocess.Result {
        let quoted = ([QLPBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try await Subprocess.run(
            ["/bin/sh", "-c", "cd '\(scratch.path)' && exec \(quoted)"],
            environment: [
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC", "PATH": "/usr/bin:/bin",
                "XDG_CONFIG_HOME": scratch.path + "/config", "XDG_STATE_HOME": scratch.path + "/state",
            ])
    }

    /// The repository's example config, with `digests` as gateway.client_key_sha256.
    func config(in scratch: ScratchDirectory, digests: [String] = []) throws -> String {
        var text = try String(contentsOfFile: ReportCommandTests.repoConfig, encoding: .utf8)
        let listed = "  client_key_sha256: []\n"
        #expect(text.contains(listed), "the example config's client_key_sha256 line moved")
        text = text.replacingOccurrences(
            of: listed, with: "  client_key_sha256: [\(digests.map { "\"\($0)\"" }.joined(separator: ", "))]\n")
        let path = scratch.path + "/qlp.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func isKeyLine(_ output: String) -> Bool {
        guard output.hasSuffix("\n") else { return false }
        let key = output.dropLast()
        return key.hasPrefix("qlp_") && key.count == 47 && !key.contains("\n")
            && key.dropFirst(4).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// The hex SHA-256 as sha256sum computes it: an outside check of the digest the store keeps.
    func sha256(_ text: String) async throws -> String {
        let result = try await Subprocess.run(["/bin/sh", "-c", "printf %s '\(text)' | sha256sum"])
        return String(result.output.prefix(64))
    }

    /// A day `days` from today in Europe/London (the example config's billing time zone).
    static func day(_ days: Int) -> CivilDate {
        CivilDate(Date(), in: TimeZone(identifier: "Europe/London")!).adding(days: days)
    }

    @Test func createPrintsOnlyTheKeyAndTheStoreKeepsOnlyItsDigest() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let created = try await run(["keys", "create", "app", "--budget", "20", "--rpm", "60"], in: scratch)
        #expect(created.status == 0, "\(created.error)")
        #expect(Self.isKeyLine(created.output), "stdout is not one key line: \(created.output)")
        let key = String(created.output.dropLast())
        #expect(created.error.contains("shown only this once"), "\(created.error)")
        #expect(created.error.contains("£20.00/month") && created.error.contains("60 requests/min"), "\(created.error)")
        #expect(created.error.contains("within a second"), "\(created.error)")
        #expect(!created.error.contains(key))

        // With no config, the default state directory's store: 0600, and the key's SHA-256 in it, not the key.
        let path = scratch.path + "/state/qlp/keys.sqlite"
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600, "mode \(String(mode, radix: 8))")
        let stored = try #require(try SQLiteKeyStore(path: path).key(named: "app"))
        #expect(stored.digest == (try await sha256(key)))
        #expect(stored.limits == KeyLimits(requestsPerMinute: 60, budget: KeyBudget(amount: 20, period: .month)))
        let bytes =
            try Data(contentsOf: URL(fileURLWithPath: path)) + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data(key.utf8)) == nil, "the key itself is in the store file")

        let second = try await run(["keys", "create", "batch"], in: scratch)
        #expect(second.status == 0, "\(second.error)")
        #expect(Self.isKeyLine(second.output) && second.output != created.output)
        #expect(second.error.contains("no limits"), "\(second.error)")
    }

    @Test func listAndShowGiveTheFactsButNeverTheKeyOrItsDigest() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let config = try config(in: scratch)
        let last = Self.day(30)
        let created = try await run(
            [
                "keys", "create", "mobile-app", "--config", config, "--budget", "0.05", "--period", "day",
                "--rpm", "60", "--tpm", "40000", "--routes", "chat,code", "--expires", last.iso8601,
            ], in: scratch)
        #expect(created.status == 0, "\(created.error)")
        let key = String(created.output.dropLast())
        let digest = try await sha256(key)

        let table = try await run(["keys", "list", "--config", config], in: scratch)
        #expect(table.status == 0, "\(table.error)")
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(table.output)")
        #expect(lines.first?.split(separator: " ") == ["NAME", "STATE", "CREATED", "EXPIRES", "RPM", "TPM", "BUDGET", "ROUTES"])
        let cells = lines.last?.split(separator: " ").map(String.init) ?? []
        let today = CivilDate(Date(), in: TimeZone(identifier: "UTC")!).iso8601
        #expect(cells == ["mobile-app", "active", today, last.iso8601, "60", "40000", "£0.05/day", "chat,code"], "\(table.output)")

        let json = try await run(["keys", "list", "--config", config, "--format", "json"], in: scratch)
        #expect(json.status == 0, "\(json.error)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        let object = try #require(objects.first)
        #expect(objects.count == 1)
        #expect(
            Set(object.keys) == [
                "name", "origin", "state", "created_at", "expires_at", "revoked_at", "requests_per_minute",
                "tokens_per_minute", "budget", "routes",
            ])
        #expect(object["name"] as? String == "mobile-app" && object["origin"] as? String == "store")
        #expect(object["revoked_at"] is NSNull)
        #expect(object["routes"] as? [String] == ["chat", "code"])
        let budget = try #require(object["budget"] as? [String: Any])
        #expect(budget["amount"] as? String == "0.05" && budget["currency"] as? String == "GBP" && budget["period"] as? String == "day")
        // The instant it stops: the start of the day after the last, London time.
        let stops = last.adding(days: 1).startInstant(in: TimeZone(identifier: "Europe/London")!)
        #expect(object["expires_at"] as? String == stops.formatted(.iso8601))

        let show = try await run(["keys", "show", "mobile-app", "--config", config], in: scratch)
        #expect(show.status == 0, "\(show.error)")
        #expect(show.output.contains("fingerprint:  \(digest.prefix(8))"), "\(show.output)")
        #expect(show.output.contains("requests/min: 60") && show.output.contains("routes:       chat, code"), "\(show.output)")

        for result in [created, table, json, show] {
            #expect(!result.error.contains(key) && !result.error.contains(digest))
            #expect(!result.output.contains(digest), "the full digest was printed: \(result.output)")
        }
        for result in [table, json, show] { #expect(!result.output.contains(key), "the key was printed: \(result.output)") }
        #expect(!show.output.contains(digest.prefix(9)), "more than 8 hex digits of the digest: \(show.output)")
    }

    @Test func aRevokedKeyIsListedRevokedAndCannotBeRevokedOrRotatedAgain() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        _ = try await run(["keys", "create", "app"], in: scratch)
        let revoked = try await run(["keys", "revoke", "app"], in: scratch)
        #expect(revoked.status == 0, "\(revoked.error)")
        #expect(revoked.output.isEmpty)
        #expect(revoked.error.contains("revoked key 'app'"), "\(revoked.error)")

        let list = try await run(["keys"], in: scratch)  // list is the default
        let row = try #require(list.output.split(separator: "\n").last)
        #expect(row.split(separator: " ").prefix(2) == ["app", "revoked"], "\(list.output)")
        let show = try await run(["keys", "show", "app"], in: scratch)
        #expect(show.output.contains("state:        revoked") && show.output.contains("revoked:"), "\(show.output)")

        let again = try await run(["keys", "revoke", "app"], in: scratch)
        #expect(again.status == 2, "status \(again.status)")
        #expect(again.error.contains("the key 'app' is revoked already"), "\(again.error)")
        let rotated = try await run(["keys", "rotate", "app"], in: scratch)
        #expect(rotated.status == 2, "status \(rotated.status)")
        #expect(rotated.output.isEmpty, "a key was printed for a revoked name")
        #expect(rotated.error.contains("revoked") && rotated.error.contains("another name"), "\(rotated.error)")
        let recreated = try await run(["keys", "create", "app"], in: scratch)
        #expect(recreated.status == 2 && recreated.output.isEmpty)
        #expect(recreated.error.contains("a key named 'app' already exists"), "\(recreated.error)")
    }

    @Test func rotatePrintsANewKeyAndKeepsTheLimits() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let created = try await run(["keys", "create", "app", "--tpm", "500"], in: scratch)
        let rotated = try await run(["keys", "rotate", "app"], in: scratch)
        #expect(rotated.status == 0, "\(rotated.error)")
        #expect(Self.isKeyLine(rotated.output), "\(rotated.output)")
        #expect(rotated.output != created.output)
        #expect(rotated.error.contains("shown only this once") && rotated.error.contains("500 tokens/min"), "\(rotated.error)")
        let stored = try #require(try SQLiteKeyStore(path: scratch.path + "/state/qlp/keys.sqlite").key(named: "app"))
        #expect(stored.digest == (try await sha256(String(rotated.output.dropLast()))))
        #expect(stored.limits.tokensPerMinute == 500)

        let unknown = try await run(["keys", "rotate", "nobody"], in: scratch)
        #expect(unknown.status == 2 && unknown.output.isEmpty)
        #expect(unknown.error.contains("no key is named 'nobody'"), "\(unknown.error)")
        let show = try await run(["keys", "show", "nobody"], in: scratch)
        #expect(show.status == 2)
        #expect(show.error.contains("no key is named 'nobody'"), "\(show.error)")
    }

    @Test func badValuesAreRefusedNamingTheOptionAndNothingIsStored() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let config = try config(in: scratch)
        let cases: [([String], String)] = [
            (["bad name"], "key name 'bad name'"),
            ([".dot"], "key name '.dot'"),
            ([String(repeating: "a", count: 65)], "1 to 64"),
            (["config-1"], "gateway.client_key_sha256"),
            (["app", "--budget", "0"], "--budget '0': expected a positive amount in GBP"),
            (["app", "--budget", "-5"], "--budget '-5'"),
            (["app", "--budget", "£20"], "--budget '£20'"),
            (["app", "--budget", "1e3"], "--budget '1e3'"),
            (["app", "--period", "week"], "--period needs --budget"),
            (["app", "--budget", "5", "--period", "year"], "--period 'year': expected day, week or month"),
            (["app", "--rpm", "0"], "--rpm '0': expected a whole number of requests per minute"),
            (["app", "--rpm", "ten"], "--rpm 'ten'"),
            (["app", "--rpm", "-1"], "--rpm '-1'"),
            (["app", "--tpm", "+5"], "--tpm '+5': expected a whole number of tokens per minute"),
            (
                ["app", "--routes", "chat,bogus"],
                "--routes 'chat,bogus': no route named 'bogus' in \(config) (routes: chat, code, embeddings)"
            ),
            (["app", "--routes", "chat,,code"], "--routes 'chat,,code'"),
            (["app", "--expires", "2020-01-01"], "--expires '2020-01-01': that day has passed"),
            (["app", "--expires", "2030-02-30"], "--expires '2030-02-30': February 2030 has 28 days"),
            (["app", "--expires", "tomorrow"], "--expires 'tomorrow': expected a day such as"),
        ]
        for (arguments, expected) in cases {
            let result = try await run(["keys", "create", "--config", config] + arguments, in: scratch)
            #expect(result.status == 2, "\(arguments): status \(result.status)")
            #expect(result.output.isEmpty, "\(arguments): printed \(result.output)")
            #expect(result.error.contains(expected), "\(arguments): got: \(result.error)")
            #expect(result.error.hasPrefix("qlp: "), "\(arguments): got: \(result.error)")
        }
        let format = try await run(["keys", "list", "--config", config, "--format", "yaml"], in: scratch)
        #expect(format.status == 2)
        #expect(format.error.contains("--format 'yaml': expected table or json"), "\(format.error)")
        let missing = try await run(["keys", "create", "app", "--config", scratch.path + "/nope.yaml"], in: scratch)
        #expect(missing.status == 2)
        #expect(missing.error.contains("nope.yaml"), "\(missing.error)")

        let list = try await run(["keys", "list", "--config", config, "--format", "json"], in: scratch)
        #expect(list.status == 0)
        #expect(list.output == "[]\n", "a refused create stored a key: \(list.output)")
        // Today still works: the key works through the end of it.
        let today = try await run(["keys", "create", "--config", config, "app", "--expires", Self.day(0).iso8601], in: scratch)
        #expect(today.status == 0, "\(today.error)")
    }

    @Test func anEmptyStoreSaysHowToStart() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let table = try await run(["keys", "list"], in: scratch)
        #expect(table.status == 0, "\(table.error)")
        #expect(table.output.isEmpty)
        #expect(table.error.contains("no keys yet: qlp keys create NAME"), "\(table.error)")
        let json = try await run(["keys", "list", "--format", "json"], in: scratch)
        #expect(json.status == 0)
        #expect(json.output == "[]\n")
    }

    @Test func theConfigsKeysAreListedAsConfigNAndAreTheConfigsToRemove() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let config = try config(in: scratch, digests: [String(repeating: "AB", count: 32), String(repeating: "cd", count: 32)])
        _ = try await run(["keys", "create", "app", "--config", config], in: scratch)
        let list = try await run(["keys", "list", "--config", config], in: scratch)
        #expect(list.status == 0, "\(list.error)")
        let names = list.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(names == ["config-1", "config-2", "app"], "\(list.output)")
        #expect(list.output.contains("config-1  active  (config)"), "\(list.output)")
        #expect(list.error.contains("gateway.client_key_sha256"), "\(list.error)")
        #expect(!list.output.lowercased().contains(String(repeating: "ab", count: 32)))

        let json = try await run(["keys", "list", "--config", config, "--format", "json"], in: scratch)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["origin"] as? String } == ["config", "config", "store"])
        #expect(objects.first?["created_at"] is NSNull)

        let show = try await run(["keys", "show", "config-2", "--config", config], in: scratch)
        #expect(show.status == 0, "\(show.error)")
        #expect(show.output.contains("fingerprint:  cdcdcdcd"), "\(show.output)")
        for verb in ["revoke", "rotate"] {
            let refused = try await run(["keys", verb, "config-1", "--config", config], in: scratch)
            #expect(refused.status == 2, "\(verb): status \(refused.status)")
            #expect(refused.output.isEmpty)
            #expect(
                refused.error.contains("gateway.client_key_sha256 of \(config)") && refused.error.contains("remove"),
                "\(verb): \(refused.error)")
        }
    }

    @Test func theDemoHasItsOwnStore() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let demo = try await run(["keys", "create", "trial", "--demo", "--routes", "chat"], in: scratch)
        #expect(demo.status == 0, "\(demo.error)")
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/state/qlp/demo-keys.sqlite"))
        // The built-in example's routes are checked with --demo.
        let bogus = try await run(["keys", "create", "other", "--demo", "--routes", "bogus"], in: scratch)
        #expect(bogus.status == 2)
        #expect(bogus.error.contains("no route named 'bogus'"), "\(bogus.error)")
        let real = try await run(["keys", "list", "--format", "json"], in: scratch)
        #expect(real.output == "[]\n", "\(real.output)")
        let listed = try await run(["keys", "list", "--demo"], in: scratch)
        #expect(listed.output.contains("trial"), "\(listed.output)")
    }
}
