import Foundation
import Logging
import QLPCore
import QLPHTTP
import QLPStore

/// The notifications of one process (`qlp dash`, `qlp demo` or a headless
/// `qlp gateway`): the outbox file in the state directory, a notifier over
/// libcurl (HTTP sinks) and libcurl's SMTP (email sinks). `run` sends until
/// cancelled; `submit` queues transitions, durably, before anything is sent.
public struct AlertDispatch: Sendable {
    public let notifier: Notifier
    public let outbox: NotificationOutbox
    let transport: CurlTransport

    /// The dispatch for `settings`, or nil when no sink is configured.
    /// - Throws: the outbox file cannot be used (the error names it).
    public static func open(_ settings: NotificationSettings, outboxPath: String, logger: Logger) throws(StoreError) -> AlertDispatch? {
        guard !settings.sinks.isEmpty else { return nil }
        let outbox = try NotificationOutbox(path: outboxPath)
        let transport = CurlTransport(maxConcurrentTransfers: 8)
        let notifier = Notifier(settings: settings, outbox: outbox, transport: transport, mailer: SMTPAlertMailer(), logger: logger)
        logger.info("notifications on", metadata: ["sinks": "\(settings.sinks.map(\.name))", "outbox": "\(outboxPath)"])
        return AlertDispatch(notifier: notifier, outbox: outbox, transport: transport)
    }

    public func submit(_ transitions: [AlertTransition]) async {
        await notifier.submit(transitions)
    }

    /// Sends until cancelled, then frees the transport.
    public func run() async {
        await notifier.run()
        transport.shutdown()
    }
}
