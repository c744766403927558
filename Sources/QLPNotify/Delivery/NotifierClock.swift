import Foundation

/// The time and the waiting the notifier runs on: the system's in
/// production, a hand-stepped one in tests.
public protocol NotifierClock: Sendable {
    func now() -> Date
    /// Returns at `deadline` (at once if past); throws when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

public struct SystemNotifierClock: NotifierClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
    }
}
