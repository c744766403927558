import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Azure's APIs (and the local Ollama server's) on loopback, for `qlp demo`,
/// `qlp emulate`, tests and benchmarks. It speaks the real wire formats so that the real client code
/// runs against it, and every endpoint takes faults (`faults`).
public final class AzureEmulator: Sendable {
    public let configuration: EmulatorConfiguration
    public let faults: FaultBoard
    /// The names reported for services and budgets, renamable at run time (tests, the admin API).
    public let names: ReportedNames
    /// What the emulator has served, for tests and benchmarks.
    public let statistics = EmulatorStatistics()
    private let state = EmulatorState()
    private let tokens = IssuedTokens()
    private let models: ModelActivity
    private let logger: Logger
    private let running = Mutex<(group: ServiceGroup?, task: Task<Void, Never>?)>((nil, nil))

    public init(
        configuration: EmulatorConfiguration, faults: FaultBoard = FaultBoard(),
        logger: Logger = Logger(label: "qlp.emulator", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.faults = faults
        self.names = ReportedNames(configuration.resourceRenames)
        self.logger = logger
        self.models = ModelActivity(loaded: configuration.ollamaLoadedModels, now: configuration.clock())
    }

    public enum StartError: Error, CustomStringConvertible {
        case alreadyRunning
        case cannotListen(host: String, port: Int, reason: String)

        public var description: String {
            switch self {
            case .alreadyRunning: "the emulator is already running"
            case .cannotListen(let host, let port, let reason):
                "the emulator cannot listen on \(host):\(port == 0 ? "a free port" : String(port)): \(reason)"
            }
        }
    }

    /// Starts listening and returns once the port is bound.
    /// - Parameter port: 0 picks a free port.
    /// - Returns: the base URL, e.g. http://127.0.0.1:41237
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> String {
        guard running.withLock({ $0.group == nil }) else { throw StartError.alreadyRunning }
        let bound = AsyncStream<Int>.makeStream()
        let responder = EmulatorResponder(
            configuration: configuration, faults: faults, names: names, tokens: tokens, state: state,
            statistics: statistics, models: models, logger: logger)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "qlp-emulator", backlog: 1024),
            onServerRunning: { channel in
                bound.continuation.yield(channel.localAddress?.port ?? 0)
                bound.continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        let failure = Mutex<(any Error)?>(nil)
        let task = Task {
            do {
                try await group.run()
            } catch {
                failure.withLock { $0 = error }
            }
            bound.continuation.finish()
        }
        running.withLock { $0 = (group, task) }
        var port: Int?
        for await p in bound.stream { port = p }
        guard let port, port > 0 else {
            running.withLock { $0 = (nil, nil) }
            let reason = failure.withLock { $0 }.map { "\($0)" } ?? "the server stopped before listening"
            throw StartError.cannotListen(host: host, port: port ?? 0, reason: reason)
        }
        let base = host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        state.baseURL = base
        state.port = port
        ConnectionRegistry.register(port: port, statistics: statistics)
        logger.info("emulator listening", metadata: ["url": "\(base)"])
        return base
    }

    /// The base URL once started ("" before).
    public var baseURL: String { state.baseURL }

    /// Stops the server; requests held by a hang fault are released first.
    public func stop() async {
        state.isStopping = true
        let (group, task) = running.withLock { current in
            defer { current = (nil, nil) }
            return current
        }
        await group?.triggerGracefulShutdown()
        await task?.value
        ConnectionRegistry.unregister(port: state.port)
    }
}
