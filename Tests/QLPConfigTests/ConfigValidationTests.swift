import Foundation
import QLPConfig
import QLPCore
import Testing

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }

/// A minimal valid config; each case below edits a few of its lines, so the
/// line numbers in the comments are the ones the errors must name.
private let baseLines = [
    "budget:",  // 1
    "  total: 5000.00",  // 2
    "  credit_start: 2026-10-01",  // 3
    "  credit_expiry: 2027-09-30",  // 4
    "  monthly:",  // 5
    "    amount: 1000.00",  // 6
    "    alerts: [80, 95]",  // 7
    "  allocation:",  // 8
    "    compute:",  // 9
    "      amount: 2000.00",  // 10
    "      services: [Virtual Machine Scale Sets]",  // 11
    "    azure_openai:",  // 12
    "      amount: 1500.00",  // 13
    "      services: [Azure AI Services]",  // 14
    "    databases_storage:",  // 15
    "      amount: 800.00",  // 16
    "      services: [Storage]",  // 17
    "    networking_security:",  // 18
    "      amount: 400.00",  // 19
    "      services: [Bandwidth]",  // 20
    "    monitoring_devops:",  // 21
    "      amount: 300.00",  // 22
    "      services: [Log Analytics]",  // 23
]

/// Appended as lines 24...39.
private let routingLines = [
    "routing:",  // 24
    "  targets:",  // 25
    "    a:",  // 26
    "      backend: ollama",  // 27
    "      model: \"llama3:8b\"",  // 28
    "      cost_per_1k_input: 0",  // 29
    "      cost_per_1k_output: 0",  // 30
    "    b:",  // 31
    "      backend: ollama",  // 32
    "      model: \"mistral:7b\"",  // 33
    "      cost_per_1k_input: 0.001",  // 34
    "      cost_per_1k_output: 0.002",  // 35
    "  routes:",  // 36
    "    chat:",  // 37
    "      weights: {a: 60, b: 40}",  // 38
    "      fallback: [b]",  // 39
]

/// The base with line `n` replaced by the given lines (none deletes it); a key
/// one past the end appends.
private func edited(_ changes: [Int: [String]], base: [String] = baseLines) -> String {
    var out: [String] = []
    for n in 1...(base.count + 1) {
        if let replacement = changes[n] { out += replacement } else if n <= base.count { out.append(base[n - 1]) }
    }
    return out.joined(separator: "\n") + "\n"
}

private func parse(_ yaml: String, environment: [String: String] = [:]) throws(ConfigErrors) -> QLPConfiguration {
    try ConfigParser(environment: environment, requireAzure: false).parse(yaml: yaml, file: "test.yaml")
}

/// The errors of a config that must not parse.
private func errors(_ yaml: String, environment: [String: String] = [:]) -> [ConfigError] {
    do {
        _ = try parse(yaml, environment: environment)
        return []
    } catch {
        return error.errors
    }
}

struct InvalidCase: Sendable, CustomTestStringConvertible {
    var name: String
    var changes: [Int: [String]]
    var withRouting = false
    var line: Int
    var key: String
    var words: [String]
    /// How many errors in all (some mistakes cause a second, related one).
    var count: Int = 1

    var testDescription: String { name }
    var yaml: String { edited(changes, base: withRouting ? baseLines + routingLines : baseLines) }
}

@Suite("Config validation")
struct ConfigValidationTests {
    @Test func baseConfigsParse() throws {
        let plan = try parse(edited([:])).budget
        #expect(plan.total == d("5000"))
        #expect(plan.allocations.count == 5)
        let routing = try #require(try parse(edited([:], base: baseLines + routingLines)).routing)
        #expect(routing.routes.first?.weights.map(\.weight) == [60, 40])
        #expect(routing.targets.last?.inputCostPer1K == d("0.001"))
    }

    static let cases: [InvalidCase] = [
        // Wrong types
        InvalidCase(
            name: "total is a word", changes: [2: ["  total: lots"]],
            line: 2, key: "budget.total", words: ["plain number", "'lots'"]),
        InvalidCase(
            name: "total is a list", changes: [2: ["  total: [5000]"]],
            line: 2, key: "budget.total", words: ["single value", "a list"]),
        InvalidCase(
            name: "total is a section", changes: [2: ["  total:", "    amount: 5000"]],
            line: 3, key: "budget.total", words: ["single value"]),
        InvalidCase(
            name: "total has trailing junk", changes: [2: ["  total: 5000-"]],
            line: 2, key: "budget.total", words: ["plain number"]),
        InvalidCase(
            name: "monthly is a number", changes: [5: ["  monthly: 5"], 6: [], 7: []],
            line: 5, key: "budget.monthly", words: ["section"]),
        InvalidCase(
            name: "amount with a thousands separator", changes: [10: ["      amount: \"2,000.00\""]],
            line: 10, key: "budget.allocation.compute.amount", words: ["thousands separators"]),
        InvalidCase(
            name: "negative amount", changes: [10: ["      amount: -2000.00"]],
            line: 10, key: "budget.allocation.compute.amount", words: ["negative"]),
        InvalidCase(
            name: "bad currency", changes: [2: ["  currency: pounds", "  total: 5000.00"]],
            line: 2, key: "budget.currency", words: ["ISO 4217", "pounds"]),
        InvalidCase(
            name: "threshold out of range", changes: [7: ["    alerts: [80, 0]"]],
            line: 7, key: "budget.monthly.alerts.[1]", words: ["between 0 and 1000"]),
        InvalidCase(
            name: "bad date", changes: [3: ["  credit_start: 2026-13-01"]],
            line: 3, key: "budget.credit_start", words: ["YYYY-MM-DD", "2026-13-01"]),

        // The allocation
        InvalidCase(
            name: "unknown category", changes: [9: ["    compte:"]],
            line: 9, key: "budget.allocation.compte", words: ["unknown category", "compute"], count: 2),
        // Missing keys are reported at the line of the section that lacks them.
        InvalidCase(
            name: "missing category", changes: [21: [], 22: [], 23: []],
            line: 8, key: "budget.allocation", words: ["missing", "monitoring_devops"]),
        InvalidCase(
            name: "missing amount", changes: [13: []],
            line: 12, key: "budget.allocation.azure_openai.amount", words: ["missing"]),
        InvalidCase(
            name: "allocations do not sum to the total", changes: [22: ["      amount: 250.00"]],
            line: 2, key: "budget.total", words: ["£4,950.00", "£5,000.00"]),
        InvalidCase(
            name: "a service in two buckets", changes: [17: ["      services: [Storage, Virtual Machine Scale Sets]"]],
            line: 17, key: "budget.allocation.databases_storage.services.[1]", words: ["compute"]),
        InvalidCase(
            name: "a service in two buckets, in another case",
            changes: [17: ["      services: [Storage, virtual machine scale sets]"]],
            line: 17, key: "budget.allocation.databases_storage.services.[1]", words: ["compute"]),

        // Unknown keys
        InvalidCase(
            name: "misspelt total", changes: [2: ["  totl: 5000.00"]],
            line: 2, key: "budget.totl", words: ["unknown key"], count: 2),
        InvalidCase(
            name: "misspelt amount", changes: [10: ["      amout: 2000.00"]],
            line: 10, key: "budget.allocation.compute.amout", words: ["unknown key"], count: 2),
        InvalidCase(
            name: "misspelt section", changes: [24: ["dashbord:", "  color: auto"]],
            line: 24, key: "dashbord", words: ["unknown key", "dashboard"]),

        // Dates and zones
        InvalidCase(
            name: "credit expires before it starts", changes: [4: ["  credit_expiry: 2026-09-30"]],
            line: 4, key: "budget.credit_expiry", words: ["before"]),
        InvalidCase(
            name: "unknown time zone",
            changes: [4: ["  credit_expiry: 2027-09-30", "  billing_time_zone: Europe/Lundon"]],
            line: 5, key: "budget.billing_time_zone", words: ["time zone", "Europe/Lundon"]),

        // Dashboard
        InvalidCase(
            name: "cost_refresh is not a duration", changes: [24: ["dashboard:", "  cost_refresh: soon"]],
            line: 25, key: "dashboard.cost_refresh", words: ["duration", "soon"]),
        InvalidCase(
            name: "cost_refresh under a minute", changes: [24: ["dashboard:", "  cost_refresh: 30s"]],
            line: 25, key: "dashboard.cost_refresh", words: ["at least 1m"]),
        InvalidCase(
            name: "request_timeout too long", changes: [24: ["dashboard:", "  request_timeout: 10m"]],
            line: 25, key: "dashboard.request_timeout", words: ["between 1s and 5m"]),
        InvalidCase(
            name: "colour mode", changes: [24: ["dashboard:", "  color: sometimes"]],
            line: 25, key: "dashboard.color", words: ["auto or never"]),

        // Routing
        InvalidCase(
            name: "weights not summing to 100", changes: [38: ["      weights: {a: 60, b: 30}"]], withRouting: true,
            line: 38, key: "routing.routes.chat.weights", words: ["100", "90"]),
        InvalidCase(
            name: "fallback naming an unknown target", changes: [39: ["      fallback: [b, c]"]], withRouting: true,
            line: 39, key: "routing.routes.chat.fallback.[1]", words: ["no target named 'c'"]),
        InvalidCase(
            name: "weight for an unknown target", changes: [38: ["      weights: {a: 100, z: 0}"]], withRouting: true,
            line: 38, key: "routing.routes.chat.weights.z", words: ["no target named 'z'"]),
        InvalidCase(
            name: "unknown backend", changes: [27: ["      backend: openai"]], withRouting: true,
            line: 27, key: "routing.targets.a.backend", words: ["azure_openai, ollama", "openai"]),
    ]

    @Test(arguments: cases)
    func invalidConfig(_ invalid: InvalidCase) throws {
        let found = errors(invalid.yaml)
        #expect(found.count == invalid.count, "\(found)")
        let error = try #require(found.first { $0.key == invalid.key }, "no error for \(invalid.key) in \(found)")
        #expect(error.file == "test.yaml")
        #expect(error.line == invalid.line)
        #expect(error.column != nil)
        for word in invalid.words {
            #expect(error.message.contains(word), "\(error.message)")
        }
    }

    @Test func unknownCategoryAlsoReportsTheMissingOne() throws {
        let found = errors(edited([9: ["    compte:"]]))
        let missing = try #require(found.first { $0.key == "budget.allocation" })
        #expect(missing.message.contains("'compute'"))
    }

    @Test func syntaxErrorNamesTheLine() throws {
        let found = errors(edited([2: ["  total: a: b"]]))
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.line == 2)
        #expect(error.key == nil)
        #expect(error.message.contains("syntax"))
    }

    @Test func unclosedListNamesALine() throws {
        let found = errors(edited([7: ["    alerts: [80, 95"]]))
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.line != nil)
        #expect(error.message.contains("syntax"))
    }

    @Test(arguments: ["", "\n", "# nothing here yet\n"])
    func emptyFile(text: String) throws {
        let found = errors(text)
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect(error.line == nil)
        #expect(error.message.contains("empty"))
        #expect(error.description.hasPrefix("test.yaml: "))
    }

    /// Yams stops at a duplicate key and points at its first occurrence.
    @Test func duplicateKey() throws {
        let found = errors(edited([3: ["  total: 4000.00", "  credit_start: 2026-10-01"]]))
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.line == 2)
        #expect(error.message.contains("duplicate"))
        #expect(error.message.contains("total"))
    }

    @Test func topLevelMustBeASection() throws {
        let found = errors("just some text\n")
        let error = try #require(found.first)
        #expect(error.line == 1)
        #expect(error.key == nil)
        #expect(error.description == "test.yaml:1:1: expected a section of key: value pairs, found the value 'just some text'")
    }

    @Test func budgetIsRequired() throws {
        let found = errors("dashboard:\n  color: auto\n")
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.key == "budget")
        #expect(error.message.contains("missing"))
    }

    @Test func everyErrorInAFileIsReported() throws {
        let found = errors(
            edited([
                2: ["  total: lots"],
                9: ["    compte:"],
                24: ["dashboard:", "  cost_refresh: soon"],
            ]))
        let located = Set(found.map { "\($0.line ?? 0) \($0.key ?? "")" })
        #expect(located == ["2 budget.total", "9 budget.allocation.compte", "8 budget.allocation", "25 dashboard.cost_refresh"])
        let description = ConfigErrors(found).description
        let lines = description.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.hasPrefix("test.yaml:") })
        #expect(lines.contains("test.yaml:2:10: budget.total: expected a plain number such as 5000.00, found 'lots'"))
    }

    @Test func requireAzureDemandsTheSection() throws {
        do {
            _ = try ConfigParser(environment: [:], requireAzure: true).parse(yaml: edited([:]), file: "test.yaml")
            Issue.record("parsed without an azure section")
        } catch {
            #expect(error.errors.map(\.key) == ["azure"])
            #expect(error.errors.first?.message.contains("missing") == true)
        }
    }
}

@Suite("ConfigError")
struct ConfigErrorTests {
    @Test func compilerStyleDescription() {
        #expect(
            ConfigError(file: "a.yaml", line: 3, column: 5, key: "budget.total", message: "bad").description
                == "a.yaml:3:5: budget.total: bad")
        #expect(
            ConfigError(file: "a.yaml", line: 3, key: "budget.total", message: "bad").description
                == "a.yaml:3: budget.total: bad")
        #expect(ConfigError(file: "a.yaml", message: "bad").description == "a.yaml: bad")
        let both = ConfigErrors([ConfigError(file: "a", line: 1, message: "x"), ConfigError(file: "a", line: 2, message: "y")])
        #expect(both.description == "a:1: x\na:2: y")
    }
}
