import Logging
import QLPCore
import QLPNotify
import QLPStore

/// `qlp gateway`'s notification sinks, which a SIGHUP may change. One outbox
/// file for the life of the process, so what is queued survives an edit: a
/// message for a sink kept by name goes to its new address, one for a sink
/// removed fails saying so. A gateway started without sinks opens the outbox
/// when a reload brings the first.
actor GatewayNotifications {
    private let outboxPath: String
    private let logger: Logger
    private var dispatch: AlertDispatch?
    private var sending: Task<Void, Never>?
    /// The sinks in force.
    private(set) var settings: NotificationSettings

    /// What a reload did to the sinks, for the log.
    struct Change: Equatable {
        var added: [String] = []
        var removed: [String] = []
        var edited: [String] = []
        var isEmpty: Bool { added.isEmpty && removed.isEmpty && edited.isEmpty }
    }

    /// - Throws: there are sinks and the outbox file cannot be used.
    init(_ settings: NotificationSettings, outboxPath: String, logger: Logger) throws(StoreError) {
        self.outboxPath = outboxPath
        self.logger = logger
        self.settings = settings
        dispatch = try AlertDispatch.open(settings, outboxPath: outboxPath, logger: logger)
    }

    /// Starts sending (once).
    func start() {
        guard sending == nil, let dispatch else { return }
        sending = Task { await dispatch.run() }
    }

    /// Queued durably before anything is sent; nothing to do without sinks.
    func submit(_ transitions: [AlertTransition]) async {
        await dispatch?.submit(transitions)
    }

    /// Takes up `edited`'s sinks from now on.
    /// - Throws: the first sinks of a gateway started without any, and the outbox cannot be opened; the sinks stay as they were.
    func reload(_ edited: NotificationSettings) async throws(StoreError) -> Change {
        let change = Self.change(from: settings.sinks, to: edited.sinks)
        guard !change.isEmpty else { return change }
        if let dispatch {
            await dispatch.notifier.use(edited)
        } else {
            dispatch = try AlertDispatch.open(edited, outboxPath: outboxPath, logger: logger)
            start()
        }
        settings = edited
        return change
    }

    /// Stops sending; what is queued stays in the outbox for the next start.
    func stop() async {
        sending?.cancel()
        await sending?.value
        sending = nil
    }

    static func change(from running: [NotificationSink], to edited: [NotificationSink]) -> Change {
        var change = Change()
        for sink in edited {
            if let before = running.first(where: { $0.name == sink.name }) {
                if before != sink { change.edited.append(sink.name) }
            } else {
                change.added.append(sink.name)
            }
        }
        change.removed = running.map(\.name).filter { name in !edited.contains { $0.name == name } }
        return change
    }
}
