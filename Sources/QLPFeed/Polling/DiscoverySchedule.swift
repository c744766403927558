import Foundation

/// When the Monitor poller lists the resource group again: at start, then an
/// hour after a listing that worked, five minutes after one that failed (the
/// resources known so far are read meanwhile).
public struct DiscoverySchedule: Sendable, Equatable {
    /// When the next listing is due; nil: never listed, due now.
    public private(set) var nextListing: Date?
    public var interval: TimeInterval
    public var retry: TimeInterval

    public init(interval: TimeInterval = 3600, retry: TimeInterval = 300) {
        self.interval = interval
        self.retry = retry
    }

    public func isDue(at now: Date) -> Bool {
        nextListing.map { now >= $0 } ?? true
    }

    public mutating func listed(at now: Date) {
        nextListing = now.addingTimeInterval(interval)
    }

    public mutating func failed(at now: Date) {
        nextListing = now.addingTimeInterval(retry)
    }
}

/// Where the Monitor poller lists resources when `azure.monitor.discover` is on.
public struct MonitorDiscoveryScope: Sendable, Equatable {
    public var subscriptionID: String
    public var resourceGroup: String

    public init(subscriptionID: String, resourceGroup: String) {
        self.subscriptionID = subscriptionID
        self.resourceGroup = resourceGroup
    }
}
