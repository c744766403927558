import Foundation
import Logging
import QLPCore
import QLPHTTP
import QLPStore

/// Sends alert transitions to the configured sinks, through the outbox.
///
/// `submit` picks the sinks each transition is for (`min_severity`,
/// `sources`), renders it for each and queues it: from then on it survives a
/// restart. `run` sends what is due, records each attempt's outcome as
/// ``DeliverySchedule`` decides, and sleeps until the next message falls due
/// or `submit` queues one. Deliveries are at least once; receivers drop
/// repeats by the Idempotency-Key, the same on every attempt.
public actor Notifier {
    public struct Options: Sendable {
        /// Messages sent per pass, at once.
        public var batch: Int = 16
        public var requestTimeout: Duration = .seconds(15)
        /// Delivered and failed messages are kept this many days, for the UI.
        public var keepDays: Int = 30
        /// How long a claimed message is kept from other senders while one attempt runs.
        public var lease: Duration = .seconds(120)

        public init() {}
    }

    /// The sinks in force; ``use(_:)`` replaces them (a reloaded config).
    private var settings: NotificationSettings
    private let outbox: NotificationOutbox
    private let sender: SinkSender
    private let clock: any NotifierClock
    private let logger: Logger
    private let policy: DeliverySchedule.Policy
    private let options: Options

    /// Set while `run` waits; `submit` (or the timer, or cancellation) resumes it.
    private var waiter: CheckedContinuation<Void, Never>?
    /// Which wait the timer belongs to: a late timer must not end a later wait.
    private var waitGeneration = 0
    /// A submit arrived while `run` was not waiting: the next wait returns at once.
    private var wakePending = false
    private var lastPrune: Date?

    public init(
        settings: NotificationSettings, outbox: NotificationOutbox, transport: any HTTPTransport,
        mailer: (any AlertMailer)? = nil, clock: any NotifierClock = SystemNotifierClock(),
        logger: Logger = Logger(label: "qlp.notify"), policy: DeliverySchedule.Policy = .standard,
        options: Options = Options()
    ) {
        self.settings = settings
        self.outbox = outbox
        self.sender = SinkSender(transport: transport, mailer: mailer, requestTimeout: options.requestTimeout)
        self.clock = clock
        self.logger = logger
        self.policy = policy
        self.options = options
    }

    /// Queues each transition for every sink that wants it and wakes `run`.
    /// Returns how many messages were newly queued (a transition already
    /// queued for a sink is not queued again). A storage failure is logged
    /// and counted out, never thrown at the alert source.
    @discardableResult
    public func submit(_ transitions: [AlertTransition]) -> Int {
        let now = clock.now()
        var queued = 0
        for transition in transitions {
            for sink in settings.sinks where sink.accepts(transition.alert) {
                do {
                    if try outbox.enqueue(NotificationRendering.draft(transition, for: sink), at: now) { queued += 1 }
                } catch {
                    logger.error(
                        "cannot queue the \(transition.kind.name) of alert \(transition.alert.key) for sink '\(sink.name)': \(error)")
                }
            }
        }
        if queued > 0 { wake() }
        return queued
    }

    /// Takes up edited sinks from now on. What is queued stays queued: a
    /// message for a sink kept by name goes to its new address at its next
    /// attempt (as rendered when it was queued), one for a sink no longer configured
    /// fails with that reason (its record says so), and `run` is woken so
    /// either happens now rather than at the next due time.
    public func use(_ settings: NotificationSettings) {
        self.settings = settings
        wake()
    }

    /// Sends until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            await deliverDue()
            pruneIfDue()
            let next: Date?
            do {
                next = try outbox.nextDueAt()
            } catch {
                logger.error("\(error)")
                next = clock.now().addingTimeInterval(30)
            }
            await waitForWork(until: next)
        }
    }

    /// One pass: attempts every message due now and records each outcome.
    /// Returns how many attempts were made.
    @discardableResult
    public func deliverDue() async -> Int {
        let messages: [OutboxMessage]
        do {
            messages = try outbox.claimDue(now: clock.now(), limit: options.batch, lease: options.lease)
        } catch {
            logger.error("\(error)")
            return 0
        }
        guard !messages.isEmpty else { return 0 }
        let sender = self.sender
        let clock = self.clock
        let sinks = settings
        let attempts = await withTaskGroup(of: (OutboxMessage, NotificationSink?, DeliverySchedule.Attempt?).self) { group in
            for message in messages {
                group.addTask {
                    guard let sink = sinks.sink(named: message.draft.sink) else { return (message, nil, nil) }
                    return (message, sink, await sender.attempt(message.draft, to: sink, now: clock.now()))
                }
            }
            var out: [(OutboxMessage, NotificationSink?, DeliverySchedule.Attempt?)] = []
            for await result in group { out.append(result) }
            return out
        }
        for (message, sink, attempt) in attempts {
            record(message, sink: sink, attempt: attempt)
        }
        return attempts.count
    }

    private func record(_ message: OutboxMessage, sink: NotificationSink?, attempt: DeliverySchedule.Attempt?) {
        let now = clock.now()
        let draft = message.draft
        let what = "alert \(draft.alertKey) (\(draft.transitionKind))"
        let outcome: OutboxOutcome
        let place: String
        if let sink, let attempt {
            place = "sink '\(sink.name)' (\(Self.address(of: sink)))"
            var schedule = DeliverySchedule(policy: policy, queuedAt: message.createdAt, attempts: message.attempts)
            switch schedule.record(attempt, at: now) {
            case .delivered:
                outcome = .delivered
                logger.info("notified \(place) of \(what)")
            case .retry(let at, let reason):
                outcome = .retry(at: at, error: reason)
                let next = AlertTimestamp.format(at)
                logger.warning("notifying \(place) of \(what) failed (attempt \(schedule.attempts)): \(reason); trying again at \(next)")
            case .failed(let reason):
                outcome = .failed(reason: reason)
                logger.error("notifying \(place) of \(what) failed for good: \(reason)")
            }
        } else {
            place = "sink '\(draft.sink)'"
            outcome = .failed(reason: "sink '\(draft.sink)' is no longer in the config")
            logger.error("cannot notify \(place) of \(what): the sink is no longer in the config")
        }
        do {
            try outbox.record(outcome, for: message.id, at: now)
        } catch {
            logger.error("\(error)")
        }
    }

    private func pruneIfDue() {
        let now = clock.now()
        if let lastPrune, now.timeIntervalSince(lastPrune) < 86400 { return }
        lastPrune = now
        do {
            try outbox.prune(olderThanDays: options.keepDays, now: now)
        } catch {
            logger.error("\(error)")
        }
    }

    /// Where a sink sends, as logs may show it.
    static func address(of sink: NotificationSink) -> String {
        switch sink.destination {
        case .webhook(let url), .slack(let url), .teams(let url): SinkURLRedaction.schemeAndHost(url.reveal())
        case .email(let settings): "smtp server \(settings.host)"
        }
    }

    // MARK: - Waiting

    private func waitForWork(until deadline: Date?) async {
        if wakePending || Task.isCancelled {
            wakePending = false
            return
        }
        waitGeneration += 1
        let generation = waitGeneration
        let timer = deadline.map { deadline in
            Task { [clock] in
                guard (try? await clock.sleep(until: deadline)) != nil else { return }
                self.wake(generation: generation)
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in waiter = continuation }
        } onCancel: {
            Task { await self.wake() }
        }
        timer?.cancel()
    }

    /// Ends the current wait (any wait when `generation` is nil), or makes the next one return at once.
    private func wake(generation: Int? = nil) {
        if let generation, generation != waitGeneration { return }
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else if generation == nil {
            wakePending = true
        }
    }
}
