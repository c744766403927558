import Foundation

/// Per-host admission: a cap on requests in flight, a per-minute budget per
/// lane, and a hold while the host has asked us to wait (Retry-After). One
/// gate is shared by every client so they queue together.
actor HostGate {
    private struct Host {
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private struct LaneKey: Hashable {
        var host: String
        var lane: String
    }

    private let policy: ThrottlingPolicy
    private let clock: @Sendable () -> Date
    private var hosts: [String: Host] = [:]
    private var sent: [LaneKey: [Date]] = [:]
    private var heldUntil: [LaneKey: Date] = [:]

    init(policy: ThrottlingPolicy, clock: @escaping @Sendable () -> Date) {
        self.policy = policy
        self.clock = clock
    }

    enum Admission {
        case admitted
        /// The host asked us to wait (or the budget is spent) until then.
        case held(until: Date)
    }

    /// Waits for a slot and the budget; returns `.held` without waiting when
    /// the host is holding requests, or the budget frees too late.
    func admit(host: String, lane: String) async -> Admission {
        let key = LaneKey(host: host, lane: lane)
        if let until = heldUntil[key], until > clock() { return .held(until: until) }
        // The per-minute budget: wait for the oldest request in the window to age out.
        while true {
            let now = clock()
            var window = (sent[key] ?? []).filter { now.timeIntervalSince($0) < 60 }
            sent[key] = window
            guard window.count >= policy.budget(for: lane) else {
                window.append(now)
                sent[key] = window
                break
            }
            let frees = window[0].addingTimeInterval(60)
            let wait = frees.timeIntervalSince(now)
            guard wait <= Double(policy.maxBudgetWait.components.seconds) else { return .held(until: frees) }
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000) + 1))
        }
        if hosts[host, default: Host()].inFlight >= policy.maxConcurrentPerHost {
            await withCheckedContinuation { hosts[host, default: Host()].waiters.append($0) }
        } else {
            hosts[host, default: Host()].inFlight += 1
        }
        return .admitted
    }

    /// Frees a slot; the next waiter, if any, takes it over.
    func release(host: String) {
        guard var state = hosts[host] else { return }
        if state.waiters.isEmpty {
            state.inFlight -= 1
        } else {
            state.waiters.removeFirst().resume()
        }
        hosts[host] = state
    }

    /// Holds every request to this host and lane until `until`.
    func hold(host: String, lane: String, until: Date) {
        let key = LaneKey(host: host, lane: lane)
        if (heldUntil[key] ?? .distantPast) < until { heldUntil[key] = until }
    }
}
