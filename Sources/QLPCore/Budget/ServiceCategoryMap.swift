import Foundation

/// Which credit bucket an Azure service's cost belongs to.
///
/// Matching is by Cost Management's ServiceName, case-insensitive and with
/// surrounding spaces ignored, because Azure is not consistent about case
/// across APIs and exports.
public struct ServiceCategoryMap: Sendable, Equatable {
    private var byName: [String: CreditCategory] = [:]

    public init(allocations: [CategoryAllocation]) {
        for allocation in allocations {
            for service in allocation.services {
                byName[Self.normalise(service)] = allocation.category
            }
        }
    }

    /// The bucket for a service; nil means Unmapped.
    public func category(for service: String) -> CreditCategory? {
        byName[Self.normalise(service)]
    }

    static func normalise(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
