import Foundation
import Synchronization

/// How much waiting out holds (a service's Retry-After, qlp's own per-minute
/// budget) one piece of work may do in all, shared by every query it makes: a
/// report's `--max-wait` covers all of its queries, not each one.
public final class ThrottleWaitLimit: Sendable {
    /// The most time the work may spend waiting; `.zero`: it never waits.
    public let limit: Duration
    /// What sets the limit, for messages: "--max-wait 5m".
    public let name: String
    /// True for `none`: a hold goes back to the caller as the throttle it
    /// was, to wait out on its own schedule. A limit someone set, even 0s,
    /// ends in a "gave up" that names it.
    public let returnsHolds: Bool
    private let spent = Mutex(Duration.zero)

    public convenience init(limit: Duration, name: String) {
        self.init(limit: limit, name: name, returnsHolds: false)
    }

    private init(limit: Duration, name: String, returnsHolds: Bool) {
        self.limit = max(limit, .zero)
        self.name = name
        self.returnsHolds = returnsHolds
    }

    /// No waiting at all: every hold is given up at once, to the caller.
    public static let none = ThrottleWaitLimit(limit: .zero, name: "no waiting", returnsHolds: true)

    /// Time waited so far under this limit.
    public var waited: Duration { spent.withLock { $0 } }

    /// Time still allowed.
    public var left: Duration { max(limit - waited, .zero) }

    func spend(_ wait: Duration) {
        spent.withLock { $0 += wait }
    }
}

/// Whether and how a client waits out holds instead of failing at the first:
/// the limit on waiting, whether it waits before it has any result to keep,
/// how it sleeps (tests pass a sleep that moves a fake clock) and who hears
/// about each wait (a progress line, the dashboard's panel).
public struct ThrottleWaiting: Sendable {
    public var limit: ThrottleWaitLimit
    /// False: a hold before the first page is given up at once, since nothing
    /// fetched would be lost (the dashboard's poll loop waits it out between
    /// refreshes, showing it); holds after it are waited out, so pages are kept.
    public var waitsBeforeFirstPage: Bool
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Told before each wait.
    public var onWait: @Sendable (ThrottleWait) -> Void

    public init(
        limit: ThrottleWaitLimit, waitsBeforeFirstPage: Bool = true,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        onWait: @escaping @Sendable (ThrottleWait) -> Void = { _ in }
    ) {
        self.limit = limit
        self.waitsBeforeFirstPage = waitsBeforeFirstPage
        self.sleep = sleep
        self.onWait = onWait
    }

    /// Every hold goes straight back to the caller (qlp's behaviour for
    /// callers that retry on their own schedule).
    public static let never = ThrottleWaiting(limit: .none)
}

/// One hold met by a paged query: how long, who asked, and where the query
/// stands, in words for a progress line or an error.
public struct ThrottleWait: Sendable, Equatable {
    public var service: String
    public var endpoint: String
    public var wait: Duration
    public var reason: HoldReason
    /// 1 for the first hold of this query, 2 for the next...
    public var retry: Int
    /// The page asked for when held (1-based).
    public var page: Int
    /// Pages already fetched and kept.
    public var pagesKept: Int
    /// Waiting still allowed before this wait, and what sets the limit.
    public var left: Duration
    public var limitName: String

    public init(
        service: String, endpoint: String, wait: Duration, reason: HoldReason, retry: Int, page: Int, pagesKept: Int,
        left: Duration, limitName: String
    ) {
        self.service = service
        self.endpoint = endpoint
        self.wait = wait
        self.reason = reason
        self.retry = retry
        self.page = page
        self.pagesKept = pagesKept
        self.left = left
        self.limitName = limitName
    }

    /// "Cost Management asked qlp to wait (Retry-After): waiting 30 s
    /// (retry 2, page 6, 5 pages kept); up to 4m 30s more under --max-wait 5m".
    public var progressWords: String {
        "\(reason.words(service: service)): waiting \(Self.text(wait)) (\(position)); "
            + "up to \(Self.text(left)) more under \(limitName)"
    }

    /// "Cost Management asked qlp to wait (Retry-After) 10m more (retry 1,
    /// page 1), past --max-wait 5m (4m 30s of it left); gave up".
    public var givingUpWords: String {
        "\(reason.words(service: service)) \(Self.text(wait)) more (\(position)), past \(limitName) "
            + "(\(Self.text(left)) of it left); gave up"
    }

    private var position: String {
        "retry \(retry), page \(page)" + (pagesKept > 0 ? ", \(pagesKept) page\(pagesKept == 1 ? "" : "s") kept" : "")
    }

    /// "42 s", "4m 30s", "1h 0m": whole seconds, rounded up (a wait of 0.4 s is not "0 s").
    static func text(_ duration: Duration) -> String {
        let seconds = AzureError.seconds(duration)
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
        return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
    }
}
