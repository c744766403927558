import Foundation

/// Per-host admission: a cap on requests in flight, a per-minute budget per
/// lane, and a hold while the host has asked us to wait (Retry-After). One
/// gate is shared by every client so they queue together.
actor HostGate {
    private struct Host {
        var inFlight = 0
        /// Requests waiting for a slot, in arrival order; resumed with true when
        /// handed a slot, false when their task was cancelled first.
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    }

    private struct LaneKey: Hashable {
        var host: String
        var lane: String
    }

    private let policy: ThrottlingPolicy
    private let clock: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private var hosts: [String: Host] = [:]
    private var sent: [LaneKey: [Date]] = [:]
    private var held: [LaneKey: ThrottleHold] = [:]
    private var nextWaiter: UInt64 = 0

    init(policy: ThrottlingPolicy, clock: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.policy = policy
        self.clock = clock
        self.sleep = sleep
    }

    enum Admission {
        case admitted
        /// The host asked us to wait, or the budget is spent, until the hold's end.
        case held(ThrottleHold)
    }

    /// Waits for a slot and the budget; returns `.held` without waiting when
    /// the host is holding requests, or the budget frees too late.
    /// - Throws: `CancellationError` when the caller is cancelled while it
    ///   waits for the budget or for a slot (the wait ends at once; it is not
    ///   retried, and a slot it was not given is not taken).
    func admit(host: String, lane: String) async throws -> Admission {
        let key = LaneKey(host: host, lane: lane)
        if let hold = held[key] {
            let now = clock()
            if hold.until > now {
                return .held(ThrottleHold(until: hold.until, wait: Self.duration(hold.until.timeIntervalSince(now)), reason: hold.reason))
            }
        }
        // The per-minute budget: wait for the oldest request in the window to age out.
        while true {
            let now = clock()
            var window = (sent[key] ?? []).filter { now.timeIntervalSince($0) < 60 }
            sent[key] = window
            let budget = policy.budget(for: lane)
            guard window.count >= budget else {
                window.append(now)
                sent[key] = window
                break
            }
            let frees = window[0].addingTimeInterval(60)
            let wait = Self.duration(frees.timeIntervalSince(now))
            guard wait <= policy.maxBudgetWait else {
                return .held(ThrottleHold(until: frees, wait: wait, reason: .ownBudget(requestsPerMinute: budget)))
            }
            try await sleep(wait + .milliseconds(1))
        }
        if hosts[host, default: Host()].inFlight >= policy.maxConcurrentPerHost {
            try Task.checkCancellation()
            nextWaiter += 1
            let id = nextWaiter
            let given = await withTaskCancellationHandler {
                await withCheckedContinuation { hosts[host, default: Host()].waiters.append((id, $0)) }
            } onCancel: {
                Task { await self.withdraw(host: host, id: id) }
            }
            guard given else { throw CancellationError() }
        } else {
            hosts[host, default: Host()].inFlight += 1
        }
        return .admitted
    }

    /// A cancelled waiter leaves the queue at once, without a slot. (One
    /// already handed its slot has left the queue; the caller releases it.)
    private func withdraw(host: String, id: UInt64) {
        guard let index = hosts[host]?.waiters.firstIndex(where: { $0.id == id }),
            let waiter = hosts[host]?.waiters.remove(at: index)
        else { return }
        waiter.continuation.resume(returning: false)
    }

    /// Frees a slot; the next waiter, if any, takes it over.
    func release(host: String) {
        guard var state = hosts[host] else { return }
        if state.waiters.isEmpty {
            state.inFlight -= 1
        } else {
            state.waiters.removeFirst().continuation.resume(returning: true)
        }
        hosts[host] = state
    }

    /// Holds every request to this host and lane until the hold ends (a later end wins).
    func hold(host: String, lane: String, _ hold: ThrottleHold) {
        let key = LaneKey(host: host, lane: lane)
        if (held[key]?.until ?? .distantPast) < hold.until { held[key] = hold }
    }

    /// Seconds between two clock readings as a Duration; at most a minute
    /// here (the budget window) or an hour (a clamped Retry-After), never negative.
    static func duration(_ seconds: TimeInterval) -> Duration {
        .milliseconds(Int64((min(max(seconds, 0), 86_400) * 1000).rounded(.up)))
    }
}
