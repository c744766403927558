import ArgumentParser
import Foundation
import QLPCore
import QLPEmulator
import QLPProcess

/// `qlp emulate`: the emulator on its own, for tests and for trying things.
struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate", abstract: "Run the Azure emulator on loopback until interrupted.",
        discussion: """
            Serves on loopback what qlp reads: Entra ID tokens (client credentials, managed \
            identity), Cost Management query (with nextLink paging), forecast and budgets, Azure \
            Monitor metrics (per resource, batch, definitions), Application Insights, Log \
            Analytics, Key Vault secrets and the MongoDB Atlas invoices, with the demo credentials \
            and a seeded spending history; and the model APIs: Azure OpenAI chat and embeddings \
            (deployments gpt4-deployment, gpt35-deployment, embeddings-deployment; api-key header) \
            and a local Ollama server (/api and /v1; llama3:8b, codellama:13b, mistral:7b), with \
            each model's typical latency (--model-latency off|realistic|FACTOR).

            Faults, at start with --fault ENDPOINT=SPEC (endpoints: \(EmulatedEndpoint.allCases.map(\.rawValue).joined(separator: ", ")); \
            or model:NAME=SPEC for one deployment or Ollama model; \
            SPEC is a comma list of latency:MS, status:CODE, retry-after:S, retry-header:standard|qpu|entity|tenant|client|clienttype, \
            count:N, malformed, html, truncated, reset, hang), \
            or at run time over HTTP:
              curl -X PUT -d '{"status":500}' http://127.0.0.1:PORT/_emulator/faults/cost.query
              curl -X PUT -d '{"status":429,"retry_after":30}' http://127.0.0.1:PORT/_emulator/faults/metrics.batch
              curl -X PUT -d '{"hang":true}' http://127.0.0.1:PORT/_emulator/faults/cost.query
              curl -X PUT -d '{"status":503}' http://127.0.0.1:PORT/_emulator/faults/model/gpt4-deployment   (one deployment or model)
              curl -X DELETE http://127.0.0.1:PORT/_emulator/faults
              curl http://127.0.0.1:PORT/_emulator/requests   (what was asked, and the peak connections)

            Names, to see what a client makes of a strange one: --resource-name OLD=NEW reports the \
            Cost Management service (ServiceName) or budget OLD as NEW, e.g. \
            --resource-name 'Event Grid=Event\\e[2JGrid'. NEW may hold escapes, so a shell can pass \
            control characters: \\e (ESC), \\a (BEL), \\b, \\f, \\n, \\r, \\t, \\v, \\\\, \\xHH (U+00HH: \\x9b is \
            the C1 CSI, \\x9d the C1 OSC) and \\u{HEX}. Azure Monitor resources keep their names: \
            there the name is part of the ID the client asks for. At run time:
              curl -X PUT -d '{"Event Grid":"Event\\u001b]0;PWNED\\u0007Grid"}' http://127.0.0.1:PORT/_emulator/names
              curl -X DELETE http://127.0.0.1:PORT/_emulator/names
            """)

    @Option(name: .long, help: "Port to listen on (0: a free port).")
    var port: Int = 0

    @Option(name: .long, help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Seed for the emulated spending history.")
    var seed: UInt64 = 42

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Inject a fault (repeatable).", valueName: "endpoint=spec"))
    var fault: [String] = []

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp(
            "Report a service or budget under another name; NEW may hold \\e \\a \\xHH \\u{HEX} escapes (repeatable).",
            valueName: "old=new"))
    var resourceName: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Model response times: off, realistic, or a factor of realistic such as 0.1.",
            valueName: "off|realistic|factor"))
    var modelLatency: String = "realistic"

    @Option(name: .long, help: "Rows per Cost Management page.")
    var pageSize: Int = 1000

    @Option(name: .long, help: "Lifetime of issued tokens, in seconds.")
    var tokenLifetime: Int = 3599

    @Option(name: .long, help: ArgumentHelp("First day of cost history, YYYY-MM-DD (default: the first of last month).", valueName: "date"))
    var historyStart: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Workload identity: accept a client assertion equal to this file's content at the time "
                + "of the request (point AZURE_FEDERATED_TOKEN_FILE at the same file).", valueName: "file"))
    var federatedTokenFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A certificate (PEM) registered on the emulated app: certificate credentials signed by "
                + "its key are accepted.", valueName: "pem"))
    var clientCertificate: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard pageSize > 0 else { throw ValidationError("--page-size must be positive") }
        guard tokenLifetime > 0 else { throw ValidationError("--token-lifetime must be positive") }
        guard ModelLatency(text: modelLatency) != nil else {
            throw ValidationError("--model-latency '\(modelLatency)': expected off, realistic or a factor of at least 0 such as 0.1")
        }
        do {
            _ = try ResourceRenameSpec.parseAll(resourceName)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        // Watch SIGINT/SIGTERM before the emulator's event loops start (threads
        // that do not block a signal take it and drop it), and keep the watcher
        // alive to the end: its dispatch sources go with it.
        let stopRequests = AsyncStream<Int32>.makeStream()
        let signals = SignalWatcher { number in stopRequests.continuation.yield(number) }
        signals.start()
        defer { signals.stop() }
        LoggingSetup.toStandardError(level: LoggingSetup.levelFromEnvironment)
        let faults: [EmulatedEndpoint: EndpointFault]
        var modelFaults: [(String, EndpointFault)] = []
        do {
            faults = try FaultSpec.parseAll(fault.filter { !FaultSpec.isModelFault($0) })
            for text in fault where FaultSpec.isModelFault(text) { modelFaults.append(try FaultSpec.parseModel(text)) }
        } catch {
            throw CommandFailure.exit(error.description)
        }
        let today = CivilDate(Date(), in: TimeZone(identifier: "UTC")!)
        var firstDay = today.firstOfMonth.adding(months: -1)
        if let historyStart {
            guard let day = CivilDate(iso8601: historyStart) else {
                throw CommandFailure.exit("--history-start '\(historyStart)': expected YYYY-MM-DD")
            }
            firstDay = day
        }
        var configuration = EmulatorConfiguration(
            world: CostWorld(seed: seed, firstDay: firstDay), costPageSize: pageSize,
            tokenLifetime: .seconds(tokenLifetime))
        configuration.modelLatency = ModelLatency(text: modelLatency) ?? .realistic
        configuration.federatedTokenFile = federatedTokenFile
        if let clientCertificate {
            do {
                configuration.trustedCertificate = try TrustedCertificate(pem: String(contentsOfFile: clientCertificate, encoding: .utf8))
            } catch let error as TrustedCertificate.Invalid {
                throw CommandFailure.exit("--client-certificate \(clientCertificate): \(error.description)")
            } catch {
                throw CommandFailure.exit("--client-certificate \(clientCertificate): cannot read it: \(error.localizedDescription)")
            }
        }
        do {
            configuration.resourceRenames = try ResourceRenameSpec.parseAll(resourceName)
        } catch {
            throw CommandFailure.exit(error.description)
        }
        let board = FaultBoard(faults)
        for (model, fault) in modelFaults { board.set(fault, forModel: model) }
        let emulator = AzureEmulator(configuration: configuration, faults: board)
        let base: String
        do {
            base = try await emulator.start(host: host, port: port)
        } catch {
            throw CommandFailure.exit("\(error)")
        }
        // The old names only (the new ones may hold controls, which have no place on a console).
        let renamed =
            configuration.resourceRenames.isEmpty
            ? ""
            : "\n  renamed:       \(configuration.resourceRenames.keys.sorted().map(ResourceRenameSpec.visible).joined(separator: ", ")) (reported under the names given)"
        let banner = """
            qlp emulator listening on \(base)
              tenant:        \(configuration.tenantID)
              client id:     \(configuration.clientID)
              client secret: \(configuration.clientSecret)   (the emulator's demo credential; valid only here)
              subscription:  \(configuration.subscriptionID)
              cost history:  from \(firstDay) (seed \(seed))
              azure openai:  \(base)/openai/deployments/{\(configuration.openAIDeployments.map(\.name).joined(separator: ","))}, api-key \(configuration.openAIKey)   (demo key; valid only here)
              ollama:        \(base)/api and \(base)/v1 (\(configuration.ollamaModels.map(\.name).joined(separator: ", ")))
              model latency: \(configuration.modelLatency)\(renamed)
            Stop with Ctrl-C.

            """
        // Unbuffered, so a script reading our stdout sees the URL at once.
        Console.out(banner, terminator: "")
        for await _ in stopRequests.stream { break }
        await emulator.stop()
    }
}
