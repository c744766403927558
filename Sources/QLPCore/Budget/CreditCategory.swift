import Foundation

/// The five buckets of the £5,000 Azure credit allocation. The set is fixed by
/// the platform's plan; config gives each its amount, label and the Azure
/// service names billed to it. Spend that matches none lands in "Unmapped".
public enum CreditCategory: String, CaseIterable, Sendable, Hashable, Comparable {
    case compute
    case azureOpenAI = "azure_openai"
    case databasesStorage = "databases_storage"
    case networkingSecurity = "networking_security"
    case monitoringDevOps = "monitoring_devops"

    /// The name finance knows the bucket by.
    public var defaultLabel: String {
        switch self {
        case .compute: "Compute (AKS)"
        case .azureOpenAI: "Azure OpenAI"
        case .databasesStorage: "Databases & Storage"
        case .networkingSecurity: "Networking & Security"
        case .monitoringDevOps: "Monitoring & DevOps"
        }
    }

    /// The config key, e.g. `azure_openai`.
    public var key: String { rawValue }

    public static func < (a: CreditCategory, b: CreditCategory) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One bucket's share of the credits and the services billed to it.
public struct CategoryAllocation: Sendable, Equatable {
    public var category: CreditCategory
    public var label: String
    public var amount: Decimal
    /// Azure service names as Cost Management reports them (ServiceName), e.g.
    /// "Virtual Machine Scale Sets" for AKS node pools, "Azure AI Services" or
    /// "Cognitive Services" for Azure OpenAI. Matched case-insensitively.
    public var services: [String]

    public init(category: CreditCategory, label: String? = nil, amount: Decimal, services: [String]) {
        self.category = category
        self.label = label ?? category.defaultLabel
        self.amount = amount
        self.services = services
    }
}
