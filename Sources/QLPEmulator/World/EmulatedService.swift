import Foundation

/// One Azure service in the emulated subscription, with how its daily cost
/// behaves. Names are Cost Management's ServiceName values.
public struct EmulatedService: Sendable, Equatable {
    public var name: String
    public var resourceGroup: String
    /// Typical weekday cost in the billing currency.
    public var weekdayCost: Decimal
    /// Weekend cost as a fraction of the weekday cost (autoscaling, traffic).
    public var weekendFactor: Decimal
    /// Day-to-day variation, as a fraction (0.2 = up to ±20%).
    public var noise: Decimal
    /// Growth per day as a fraction (0.01 = +1% a day, compounding linearly).
    public var dailyGrowth: Decimal
    /// Chance per day of an incident that multiplies the day's cost by `incidentFactor`.
    public var incidentChancePerMillion: Int
    public var incidentFactor: Decimal
    /// Resource tags (the seed tags resources with Environment, Project and CostCenter).
    public var tags: [String: String]
    /// Bills the model traffic (Azure OpenAI): where the cost world has a
    /// `TrafficWorld`, the day's cost is its requests' cost on Azure targets,
    /// and the rhythm, noise and incident figures above are not used.
    public var billsModelTraffic: Bool

    public init(
        name: String, resourceGroup: String, weekdayCost: Decimal, weekendFactor: Decimal = 1,
        noise: Decimal = 0, dailyGrowth: Decimal = 0, incidentChancePerMillion: Int = 0, incidentFactor: Decimal = 1,
        tags: [String: String]? = nil, billsModelTraffic: Bool = false
    ) {
        self.name = name
        self.resourceGroup = resourceGroup
        self.weekdayCost = weekdayCost
        self.weekendFactor = weekendFactor
        self.noise = noise
        self.dailyGrowth = dailyGrowth
        self.incidentChancePerMillion = incidentChancePerMillion
        self.incidentFactor = incidentFactor
        self.billsModelTraffic = billsModelTraffic
        // The seed's Terraform tags its own resource group; AKS's node resource
        // group (MC_...) is created by Azure and carries no tags.
        self.tags =
            tags
            ?? (resourceGroup.hasPrefix("MC_")
                ? [:]
                : ["Environment": "production", "Project": "QuantumLayer-UOS", "CostCenter": "engineering"])
    }

    /// The QuantumLayer platform of the seed document: AKS (nodes bill as
    /// Virtual Machine Scale Sets in the MC_ group), Azure OpenAI (billed as
    /// Azure AI Services), SQL, Redis, Front Door, Functions, Container
    /// Instances, monitoring; plus one small service no bucket claims, so the
    /// Unmapped line is exercised. About £30 a weekday, £1,000 a month.
    /// Azure AI Services bills the model traffic where the world has one
    /// (the demo's); its synthetic figures stand in where it has none.
    public static let quantumLayerPlatform: [EmulatedService] = {
        let rg = "quantumlayer-prod"
        let mc = "MC_quantumlayer-prod_qlp-aks_uksouth"
        return [
            EmulatedService(
                name: "Virtual Machine Scale Sets", resourceGroup: mc, weekdayCost: 11.20, weekendFactor: 0.55,
                noise: 0.12, dailyGrowth: 0.002),
            EmulatedService(name: "Azure Kubernetes Service", resourceGroup: rg, weekdayCost: 1.95),
            EmulatedService(name: "Virtual Machines", resourceGroup: mc, weekdayCost: 0.55, noise: 0.02),
            EmulatedService(name: "Container Registry", resourceGroup: rg, weekdayCost: 0.14),
            EmulatedService(name: "Container Instances", resourceGroup: rg, weekdayCost: 0.45, weekendFactor: 0.3, noise: 0.3),
            EmulatedService(name: "Functions", resourceGroup: rg, weekdayCost: 0.22, weekendFactor: 0.5, noise: 0.4),
            EmulatedService(
                name: "Azure AI Services", resourceGroup: rg, weekdayCost: 9.40, weekendFactor: 0.35, noise: 0.25,
                dailyGrowth: 0.006, incidentChancePerMillion: 50_000, incidentFactor: 2.6,
                tags: ["Environment": "production", "Project": "QuantumLayer-UOS", "CostCenter": "ai-platform"],
                billsModelTraffic: true),
            EmulatedService(name: "SQL Database", resourceGroup: rg, weekdayCost: 0.98),
            EmulatedService(name: "Redis Cache", resourceGroup: rg, weekdayCost: 1.32),
            EmulatedService(name: "Storage", resourceGroup: rg, weekdayCost: 0.62, noise: 0.05, dailyGrowth: 0.004),
            EmulatedService(name: "Azure Front Door Service", resourceGroup: rg, weekdayCost: 1.10, weekendFactor: 0.8, noise: 0.2),
            EmulatedService(name: "Virtual Network", resourceGroup: rg, weekdayCost: 0.18),
            EmulatedService(name: "Bandwidth", resourceGroup: rg, weekdayCost: 0.35, weekendFactor: 0.6, noise: 0.4),
            EmulatedService(name: "Load Balancer", resourceGroup: mc, weekdayCost: 0.52),
            EmulatedService(name: "Key Vault", resourceGroup: rg, weekdayCost: 0.04, noise: 0.3),
            EmulatedService(name: "Log Analytics", resourceGroup: rg, weekdayCost: 1.05, weekendFactor: 0.7, noise: 0.2),
            EmulatedService(name: "Application Insights", resourceGroup: rg, weekdayCost: 0.38, weekendFactor: 0.6, noise: 0.2),
            EmulatedService(name: "Azure Monitor", resourceGroup: rg, weekdayCost: 0.12),
            EmulatedService(name: "Event Grid", resourceGroup: rg, weekdayCost: 0.03, noise: 0.5, tags: [:]),
        ]
    }()
}
