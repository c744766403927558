import ArgumentParser
import Foundation
import QLPAzure
import QLPConfig
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import QLPReport
import QLPStore

extension ReportFormat: ExpressibleByArgument {}
extension CostBasis: ExpressibleByArgument {}

/// `qlp report`: the finance review for a week, a month or any days, from
/// Cost Management or from a cost export file.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the finance report for a week or month (table, Markdown, CSV or JSON).",
        discussion: """
            With no period, the last complete ISO week (Monday to Sunday). Days are the billing \
            time zone's calendar days; Azure's charge periods are UTC days, start-inclusive, \
            end-exclusive. Reads Cost Management (the config's azure section and credentials), \
            or a FOCUS 1.0/1.2 or Azure actual/amortized cost export with --from-file, or the \
            embedded emulator with --demo. JSON follows docs/report-schema.json.
            """)

    @Option(help: ArgumentHelp("ISO week, e.g. 2026-W47 (default: the last complete week).", valueName: "YYYY-Www"))
    var week: String?

    @Option(help: ArgumentHelp("Calendar month, e.g. 2026-11.", valueName: "YYYY-MM"))
    var month: String?

    @Option(help: ArgumentHelp("First day of a custom period.", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Last day of a custom period (inclusive).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Option(help: "table, markdown, csv or json (default: as the --output file's extension says, else table).")
    var format: ReportFormat?

    @Option(
        help: ArgumentHelp(
            "Write to this file instead of standard output (.txt, .md, .csv or .json choose the format).",
            valueName: "file"))
    var output: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Rerun the report as it stood at the start of this day (a past report re-issued): rows dated on or after it are left out.",
            valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(
        name: .customLong("from-file"),
        help: ArgumentHelp("Read a FOCUS or Azure cost export instead of Cost Management.", valueName: "file"))
    var fromFile: String?

    @Option(help: "actual or amortized: which cost a --from-file export holds (FOCUS: BilledCost or EffectiveCost).")
    var basis: CostBasis = .actual

    @Flag(help: "Skip rows that cannot be read (they are counted and listed in the footnote) instead of stopping.")
    var skipBadRows = false

    @Option(help: ArgumentHelp("Break spend down by this tag (default: budget.report_tag).", valueName: "key"))
    var tag: String?

    @Option(help: ArgumentHelp("Config file (default lookup as for the dashboard).", valueName: "file"))
    var config: String?

    @Flag(help: "Report over the embedded emulator (no Azure account needed).")
    var demo = false

    @Option(
        name: .customLong("max-wait"),
        help: ArgumentHelp(
            "Longest to wait in all when Cost Management asks qlp to wait (Retry-After) or qlp's own request budget is spent; "
                + "past it the report fails, naming what it was waiting for.", valueName: "duration"))
    var maxWait: String = "5m"

    func validate() throws {
        let chosen = [week != nil, month != nil, from != nil || to != nil].filter { $0 }.count
        guard chosen <= 1 else { throw ValidationError("give one of --week, --month or --from/--to") }
        guard (from == nil) == (to == nil) else { throw ValidationError("--from and --to go together") }
        guard !(demo && fromFile != nil) else { throw ValidationError("--demo and --from-file exclude each other") }
    }

    func run() async throws {
        LoggingSetup.toStandardError(level: .warning)
        // Mistakes on the command line are named before any config is read or request sent.
        _ = try requestedPeriod()
        let waitLimit = try chosenWaitLimit()
        let format = try chosenFormat()
        let rerun = try rerunDay()
        let environment = ProcessInfo.processInfo.environment
        let (configuration, _) = try loadConfig(environment: environment)
        var plan = configuration.budget
        if let tag { plan.reportTag = tag }
        let now = Date()
        var today = try reportDay(now, plan: plan, rerun: rerun)
        let rerunInThePast = today < CivilDate(now, in: TimeZone(identifier: plan.billingTimeZone) ?? TimeZone(identifier: "UTC")!)

        let report: FinanceReport
        do {
            if let fromFile {
                let builder = FinanceReportBuilder(plan: plan, period: try period(today: today), today: today, generatedAt: now)
                // Streamed: each row is summed as it is read and not kept, so a file of any size fits in memory.
                var rows = builder.rows()
                let imported = try CostFileImporter.read(path: fromFile, basis: basis, skipBadRows: skipBadRows) { rows.add($0) }
                var input = ReportInput(
                    records: [], source: fromFile, basis: basis, rowsRead: imported.rowCount,
                    skipped: imported.skipped.map(\.description), skippedCount: imported.skippedCount)
                ReportUsageSource.attach(
                    to: &input,
                    ledgerPath: AccountingFiles.usagePath(
                        stateDirectory: configuration.dashboard.stateDirectory,
                        demo: false),
                    retention: configuration.gateway.usageRetention, routing: configuration.routing, period: builder.period, plan: plan)
                report = try builder.build(input, rows: rows)
            } else if demo {
                let emulated = try await DemoWorld.start(
                    plan: plan, now: now, routing: configuration.routing,
                    azureOpenAI: configuration.azureOpenAI)
                plan = emulated.plan
                today = try reportDay(now, plan: plan, rerun: rerun)
                // The emulator is stopped on every path out, an error's included:
                // a listener left running would keep the process from exiting.
                let builder: FinanceReportBuilder
                var input: ReportInput
                do {
                    builder = FinanceReportBuilder(plan: plan, period: try period(today: today), today: today, generatedAt: now)
                    input = try await emulated.source.input(plan: plan, builder: builder)
                    (input.atlas, input.atlasNote) = await AtlasReportSource.read(
                        emulated.atlasSettings, plan: plan, today: today,
                        transport: emulated.transport, timeout: emulated.timeout)
                    // The demo's ledger, brought up to now with the traffic the emulator billed, read as production's is.
                    if let routing = configuration.routing,
                        let ledger = try emulated.fillUsageLedger(stateDirectory: configuration.dashboard.stateDirectory, now: now)
                    {
                        ReportUsageSource.attach(
                            to: &input, ledger: ledger, source: "the demo's usage ledger at \(ledger.path)",
                            routing: routing, period: builder.period, plan: plan)
                    } else {
                        input.usageNote = "the config has no routing section, so the demo has no gateway traffic"
                    }
                    if rerunInThePast { forgetTodaysForecast(&input) }
                } catch {
                    await emulated.stop()
                    throw error
                }
                await emulated.stop()
                input.source = "the embedded emulator (DEMO data)"
                report = try builder.build(input)
            } else {
                report = try await fromCostManagement(
                    configuration, plan: plan, today: today, now: now, rerun: rerunInThePast,
                    waitLimit: waitLimit, environment: environment)
            }
        } catch let error as ImportProblem {
            throw CommandFailure.exit(error.description)
        } catch let error as ReportError {
            throw CommandFailure.exit(error.description)
        } catch let error as AzureError {
            throw CommandFailure.runtime(error.description)
        }
        if report.quality.skippedCount > 0 {
            let q = report.quality
            Console.error(
                "qlp: skipped \(q.skippedCount) of \(q.rowsRead) rows that could not be read"
                    + (q.skipped.first.map { " (the first: \($0))" } ?? "") + "; the report's Data quality section lists them")
        }

        // A terminal without UTF-8 gets "GBP" rather than a broken "£".
        let utf8 = LocaleCharset.isUTF8(environment: environment)
        let money = format == .table && output == nil && !utf8 ? MoneyFormat(symbolOverride: "\(plan.currency.code) ") : .standard
        let text = ReportRenderer.render(report, as: format, money: money)
        if let output {
            do {
                // 0600 whatever the umask or the file it replaces: spend figures are not for every local user.
                try OwnerOnlyFiles.write(Array(text.utf8), to: output)
            } catch {
                throw CommandFailure.runtime("\(error)")
            }
            Console.error("qlp: wrote the \(report.period) report to \(output)")
        } else {
            // Not through Console: the renderers made their text printable themselves (the CSV keeps its CR LF).
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    private func period(today: CivilDate) throws -> ReportPeriod {
        try requestedPeriod() ?? .lastCompleteWeek(today: today)
    }

    /// The period --week, --month or --from/--to name; nil for the default.
    private func requestedPeriod() throws -> ReportPeriod? {
        do {
            if let week { return .week(try PeriodArgument.week(week)) }
            if let month { return try PeriodArgument.month(month) }
            if let from, let to { return .custom(try PeriodArgument.range(from: from, to: to)) }
            return nil
        } catch {
            throw CommandFailure.exit(error.description)
        }
    }

    private func rerunDay() throws -> CivilDate? {
        guard let asOf else { return nil }
        do {
            return try PeriodArgument.day(asOf, option: "--as-of")
        } catch {
            throw CommandFailure.exit(error.description)
        }
    }

    /// Today in the billing time zone, or the --as-of day, which must have come.
    private func reportDay(_ now: Date, plan: BudgetPlan, rerun: CivilDate?) throws -> CivilDate {
        let today = CivilDate(now, in: TimeZone(identifier: plan.billingTimeZone) ?? TimeZone(identifier: "UTC")!)
        guard let rerun else { return today }
        guard rerun <= today else {
            throw CommandFailure.exit(
                "--as-of \(rerun): that day has not come (today is \(today) in \(plan.billingTimeZone)); "
                    + "a report can be rerun as of today or an earlier day")
        }
        return rerun
    }

    /// Cost Management forecasts from the day it is asked: its figure today
    /// is not what it said on a past day, so a rerun leaves it out.
    private func forgetTodaysForecast(_ input: inout ReportInput) {
        guard input.azureForecast != nil else { return }
        input.azureForecast = nil
        input.forecastNote = "not shown in a report rerun as of a past day (Cost Management forecasts from the day it is asked)"
    }

    private func chosenFormat() throws -> ReportFormat {
        do {
            return try ReportFormat.chosen(format, output: output)
        } catch {
            throw CommandFailure.exit(error.description)
        }
    }

    /// --max-wait as a limit shared by every Cost Management query of the report.
    private func chosenWaitLimit() throws -> ThrottleWaitLimit {
        guard let limit = DurationText.parse(maxWait) else {
            throw CommandFailure.exit("--max-wait \(maxWait): not a duration; write it as 30s, 5m or 1h30m (0s: never wait)")
        }
        return ThrottleWaitLimit(limit: limit, name: "--max-wait \(DurationText.format(limit))")
    }

    private func fromCostManagement(
        _ configuration: QLPConfiguration, plan: BudgetPlan, today: CivilDate, now: Date, rerun: Bool,
        waitLimit: ThrottleWaitLimit, environment: [String: String]
    ) async throws -> FinanceReport {
        guard let azure = configuration.azure else {
            throw CommandFailure.exit("the config has no azure section; add one, or use --from-file or --demo")
        }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let credential = try AzureCredentials.source(
            for: azure, environment: environment, transport: transport,
            timeout: configuration.dashboard.requestTimeout)
        // The report waits out holds itself, with a line on stderr for each: qlp's
        // own budget is not waited out silently inside the transport.
        let throttled = ThrottlingTransport(wrapping: transport, policy: ThrottlingPolicy(maxBudgetWait: .zero))
        let waiting = ThrottleWaiting(limit: waitLimit, onWait: { hold in Console.error("qlp: " + hold.progressWords) })
        let client = CostManagementClient(
            transport: throttled, tokens: TokenCache(source: credential),
            management: azure.endpoints.management, tokenScope: azure.endpoints.managementScope,
            apiVersion: azure.costManagementAPIVersion, timeout: configuration.dashboard.requestTimeout,
            waiting: waiting)
        let builder = FinanceReportBuilder(plan: plan, period: try period(today: today), today: today, generatedAt: now)
        var input = try await CostManagementReportSource(client: client, scope: azure.costScope).input(plan: plan, builder: builder)
        if rerun { forgetTodaysForecast(&input) }
        ReportUsageSource.attach(
            to: &input, ledgerPath: AccountingFiles.usagePath(stateDirectory: configuration.dashboard.stateDirectory, demo: false),
            retention: configuration.gateway.usageRetention, routing: configuration.routing, period: builder.period, plan: plan)
        // The Atlas private key may be a keyvault:// reference; a vault failure costs the Atlas line, not the report.
        let vault = KeyVaultClient(
            transport: transport, tokens: TokenCache(source: credential), timeout: configuration.dashboard.requestTimeout)
        let (resolved, outcomes) = await SecretReferences(client: vault, endpoints: azure.endpoints).resolve(configuration)
        if let failed = outcomes.first(where: { $0.failure != nil && $0.field.hasPrefix("mongodb_atlas.admin_api") }),
            let failure = failed.failure
        {
            input.atlasNote = "not read: \(failed.field) (\(failed.reference)): \(failure.description)"
        } else {
            (input.atlas, input.atlasNote) = await AtlasReportSource.read(
                resolved.mongodbAtlas?.adminAPI, plan: plan, today: today,
                transport: transport, timeout: configuration.dashboard.requestTimeout)
        }
        return try builder.build(input)
    }

    private func loadConfig(environment: [String: String]) throws -> (QLPConfiguration, String) {
        do {
            let location = try ConfigLoader.locate(flag: config, environment: environment)
            let needsAzure = fromFile == nil && !demo
            return (try ConfigLoader.load(location, environment: environment, requireAzure: needsAzure), location.path)
        } catch let error as ConfigError {
            if demo, config == nil {
                let parsed = try? ConfigParser(environment: environment, requireAzure: false)
                    .parse(yaml: ExampleConfiguration.yaml, file: ExampleConfiguration.name)
                if let parsed { return (parsed, ExampleConfiguration.name) }
            }
            throw CommandFailure.exit(error.description)
        } catch let error as ConfigErrors {
            throw CommandFailure.exit(error.description)
        }
    }
}
