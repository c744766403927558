import Foundation

/// What kind of charge a row is (FOCUS ChargeCategory; Azure's ChargeType).
public enum ChargeCategory: String, Sendable, Hashable, CaseIterable {
    case usage = "Usage"
    case purchase = "Purchase"
    case tax = "Tax"
    case credit = "Credit"
    case adjustment = "Adjustment"
}

/// One cost row with every dimension a finance report groups by. Rows come
/// from Cost Management queries or from export files (FOCUS, Azure actual or
/// amortized cost); `source` says where, down to the line, for messages.
public struct CostRecord: Sendable, Equatable {
    /// The UTC day the charge period starts on (charge periods are
    /// start-inclusive, end-exclusive).
    public var day: CivilDate
    /// In the row's own currency (`currency`), unrounded.
    public var amount: Decimal
    public var currency: Currency
    /// The name the credit buckets map: Cost Management's ServiceName, FOCUS
    /// ServiceName, or the export's MeterCategory.
    public var service: String
    public var resourceGroup: String?
    public var resourceName: String?
    public var tags: [String: String]
    public var chargeCategory: ChargeCategory
    /// The cloud provider (FOCUS ProviderName); "Microsoft" for Azure rows.
    public var provider: String
    /// Meter detail where the source has it (e.g. "Azure OpenAI" / "gpt-4-turbo-0409 Input Tokens"),
    /// used to split model spend.
    public var meterSubcategory: String?
    public var meterName: String?
    public var source: RecordSource?

    public init(
        day: CivilDate, amount: Decimal, currency: Currency, service: String, resourceGroup: String? = nil,
        resourceName: String? = nil, tags: [String: String] = [:], chargeCategory: ChargeCategory = .usage,
        provider: String = "Microsoft", meterSubcategory: String? = nil, meterName: String? = nil,
        source: RecordSource? = nil
    ) {
        self.day = day
        self.amount = amount
        self.currency = currency
        self.service = service
        self.resourceGroup = resourceGroup
        self.resourceName = resourceName
        self.tags = tags
        self.chargeCategory = chargeCategory
        self.provider = provider
        self.meterSubcategory = meterSubcategory
        self.meterName = meterName
        self.source = source
    }

    /// The same cost as the dashboard's per-service row.
    public var dailyCost: DailyCost { DailyCost(day: day, service: service, amount: amount, currency: currency) }
}

/// Where a record came from: a file and line, or an API.
public struct RecordSource: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line of the row's first physical line (a quoted field may span lines).
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}
