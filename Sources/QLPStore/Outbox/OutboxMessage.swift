import Foundation
import QLPCore

/// Where one outbox message stands.
public enum OutboxState: String, Sendable, Equatable, CaseIterable {
    /// Queued, not yet tried.
    case pending
    /// Tried and failed in a way that may mend; tried again at `nextAttemptAt`.
    case retrying
    /// The receiver took it.
    case delivered
    /// Given up: refused by the receiver, or out of attempts or time.
    case failed
}

/// A message to queue: one transition of one alert, rendered for one sink.
/// No secret goes in: the sink's URL or password comes from the config, by
/// sink name, when the message is sent.
public struct OutboxDraft: Sendable, Equatable {
    public var sink: String
    /// The transition's identity: with the sink, it names the row (enqueueing it twice is a no-op).
    public var identity: String
    public var idempotencyKey: String
    public var alertKey: String
    public var severity: AlertSeverity
    public var transitionKind: AlertTransition.Kind
    /// The rendered body (JSON for HTTP sinks, the plain text for email).
    public var body: [UInt8]
    /// Header fields to send with it, in order (for email: Subject).
    public var headers: [OutboxHeader]

    public init(
        sink: String, identity: String, idempotencyKey: String, alertKey: String, severity: AlertSeverity,
        transitionKind: AlertTransition.Kind, body: [UInt8], headers: [OutboxHeader] = []
    ) {
        self.sink = sink
        self.identity = identity
        self.idempotencyKey = idempotencyKey
        self.alertKey = alertKey
        self.severity = severity
        self.transitionKind = transitionKind
        self.body = body
        self.headers = headers
    }
}

public struct OutboxHeader: Sendable, Equatable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A stored message and its delivery so far.
public struct OutboxMessage: Sendable, Equatable {
    public var id: Int64
    public var draft: OutboxDraft
    public var state: OutboxState
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var deliveredAt: Date?
    public var createdAt: Date
}

/// What one attempt came to, as the outbox records it.
public enum OutboxOutcome: Sendable, Equatable {
    case delivered
    /// Failed; try again at `at`. `error` says why (no secrets: a status, an excerpt, a host).
    case retry(at: Date, error: String)
    /// Failed for good.
    case failed(reason: String)
}

/// For a UI: where the latest transition of one alert stands at one sink.
public struct SinkDelivery: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case pending
        case sent(at: Date)
        case retrying(attempt: Int, nextAt: Date, lastError: String?)
        case failed(reason: String)
    }

    public var sink: String
    public var alertKey: String
    public var transitionKind: AlertTransition.Kind
    public var identity: String
    public var status: Status
    /// When the message was queued.
    public var queuedAt: Date
}
