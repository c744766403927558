import Foundation
import QLPCore

/// Reads cost export files offline (`qlp report --from-file FILE`): FOCUS
/// 1.0/1.2/1.3 (the format Azure's FocusCost export writes, and other clouds
/// too), or an Azure Cost Management actual/amortized cost export with EA or
/// MCA column names. The format is judged by the header.
///
/// Every data row becomes a `CostRecord` or, with `skipBadRows`, an
/// `ImportProblem` in `skipped`; without it the first bad row is thrown. No
/// row is dropped silently.
///
/// The file is read as a stream (`ByteWindow`): each record is handed to the
/// caller as it is read and nothing of it is kept here, so a report over a
/// file of any size holds only what it aggregates. Memory: the window (a
/// 1 MiB chunk, up to 16 MiB for one long record), the tag cache (16,384
/// tag texts of at most 1 KiB) and the first `keptProblems` skipped rows.
public enum CostFileImporter {
    /// Skipped rows described in full; the rest are counted.
    public static let keptProblems = 1_000

    /// Reads the file at `path`, handing each record to `each` as it is read.
    public static func read(
        path: String, basis: CostBasis, skipBadRows: Bool,
        each: (CostRecord) -> Void
    ) throws(ImportProblem) -> CostFileSummary {
        try read(ByteWindow(path: path), basis: basis, skipBadRows: skipBadRows, each: each)
    }

    /// Every record of the file at `path`, kept (for tests and tools over small files).
    public static func load(path: String, basis: CostBasis, skipBadRows: Bool) throws(ImportProblem) -> CostFileImport {
        try collect(ByteWindow(path: path), basis: basis, skipBadRows: skipBadRows)
    }

    /// Imports bytes already in memory; `file` names them in problems and record sources.
    public static func parse(
        _ bytes: [UInt8], file: String, basis: CostBasis,
        skipBadRows: Bool
    ) throws(ImportProblem) -> CostFileImport {
        try collect(ByteWindow(bytes: bytes, file: file), basis: basis, skipBadRows: skipBadRows)
    }

    private static func collect(_ window: ByteWindow, basis: CostBasis, skipBadRows: Bool) throws(ImportProblem) -> CostFileImport {
        var records: [CostRecord] = []
        let summary = try read(window, basis: basis, skipBadRows: skipBadRows) { records.append($0) }
        return CostFileImport(summary: summary, records: records)
    }

    private static func read(
        _ window: ByteWindow, basis: CostBasis, skipBadRows: Bool,
        each: (CostRecord) -> Void
    ) throws(ImportProblem) -> CostFileSummary {
        var session = ImportSession(window: window, basis: basis, skipBadRows: skipBadRows)
        return try session.run(each)
    }

    /// The FOCUS columns the importer reads, with the 1.3 alias and 1.2
    /// renames it accepts.
    public static let focusColumns: [ImportColumn] = [
        ImportColumn(field: "day", names: ["ChargePeriodStart"], isRequired: true),
        ImportColumn(field: "amount", names: ["BilledCost"], isRequired: true, basis: .actual),
        ImportColumn(field: "amount", names: ["EffectiveCost"], isRequired: true, basis: .amortized),
        ImportColumn(field: "currency", names: ["BillingCurrency"], isRequired: true),
        ImportColumn(field: "service", names: ["ServiceName"], isRequired: true),
        ImportColumn(field: "chargeCategory", names: ["ChargeCategory"], isRequired: true),
        // FOCUS 1.3 deprecates ProviderName for ServiceProviderName.
        ImportColumn(field: "provider", names: ["ProviderName", "ServiceProviderName"], isRequired: true),
        ImportColumn(field: "resourceName", names: ["ResourceName"], isRequired: false),
        ImportColumn(field: "resourceId", names: ["ResourceId"], isRequired: false),
        ImportColumn(field: "resourceGroup", names: ["x_ResourceGroupName"], isRequired: false),
        ImportColumn(field: "tags", names: ["Tags"], isRequired: false),
        ImportColumn(field: "meterSubcategory", names: ["x_SkuMeterSubcategory"], isRequired: false),
        // Azure's FOCUS 1.0 export has x_SkuMeterName; its 1.2 export has SkuMeter instead.
        ImportColumn(field: "meterName", names: ["x_SkuMeterName", "SkuMeter"], isRequired: false),
        ImportColumn(field: "chargeDescription", names: ["ChargeDescription"], isRequired: false),
    ]

    /// The Azure cost export columns the importer reads (EA names first, then
    /// MCA ones; matched ignoring case).
    public static let azureExportColumns: [ImportColumn] = [
        ImportColumn(field: "day", names: ["Date"], isRequired: true),
        ImportColumn(field: "amount", names: ["Cost", "CostInBillingCurrency"], isRequired: true),
        ImportColumn(field: "currency", names: ["BillingCurrency", "BillingCurrencyCode"], isRequired: true),
        ImportColumn(field: "service", names: ["MeterCategory"], isRequired: true),
        ImportColumn(field: "chargeCategory", names: ["ChargeType"], isRequired: true),
        ImportColumn(field: "resourceGroup", names: ["ResourceGroup", "ResourceGroupName"], isRequired: false),
        ImportColumn(field: "resourceName", names: ["ResourceName"], isRequired: false),
        ImportColumn(field: "resourceId", names: ["ResourceId", "InstanceName"], isRequired: false),
        ImportColumn(field: "meterSubcategory", names: ["MeterSubCategory"], isRequired: false),
        ImportColumn(field: "meterName", names: ["MeterName"], isRequired: false),
        ImportColumn(field: "tags", names: ["Tags"], isRequired: false),
    ]

    /// Azure ChargeType values and the charge category each is.
    public static let azureChargeTypes: [(chargeType: String, category: ChargeCategory)] = [
        ("Usage", .usage), ("Purchase", .purchase), ("Refund", .credit), ("Tax", .tax),
        ("UnusedReservation", .adjustment), ("UnusedSavingsPlan", .adjustment),
        ("RoundingAdjustment", .adjustment), ("Adjustment", .adjustment),
    ]

    /// Columns that first appear in FOCUS 1.1/1.2 (a header with any is read as 1.2).
    static let focus12Markers = [
        "InvoiceId", "ServiceSubcategory", "CapacityReservationId", "CommitmentDiscountQuantity",
        "CommitmentDiscountUnit", "SkuMeter", "SkuPriceDetails", "PricingCurrency",
    ]

    static var expectedColumnsText: String {
        func list(_ columns: [ImportColumn]) -> String {
            var seen = Set<String>()
            return columns.filter(\.isRequired).compactMap { column -> String? in
                var text = column.names.joined(separator: " or ")
                if let basis = column.basis { text += " (\(basis))" }
                return seen.insert(text).inserted ? text : nil
            }.joined(separator: ", ")
        }
        return "expected a FOCUS export (\(list(focusColumns))) or an Azure cost export (\(list(azureExportColumns)))"
    }
}

/// One value the importer reads, and the columns it may come from, in order of preference.
public struct ImportColumn: Sendable, Equatable {
    /// The `CostRecord` property (or intermediate value) it feeds.
    public var field: String
    public var names: [String]
    public var isRequired: Bool
    /// Read only for this cost basis (FOCUS BilledCost vs EffectiveCost); nil for always.
    public var basis: CostBasis?

    public init(field: String, names: [String], isRequired: Bool, basis: CostBasis? = nil) {
        self.field = field
        self.names = names
        self.isRequired = isRequired
        self.basis = basis
    }
}

// MARK: - The import of one file

/// A column found in the header: its index and the header's own spelling.
private struct Column {
    var index: Int
    var name: String
}

/// Why one row cannot be a record.
private struct RowProblem: Error {
    var column: String?
    var message: String
}

private struct FocusLayout {
    var version: String
    var day: Column
    var amount: Column
    var currency: Column
    var service: Column
    var category: Column
    var provider: Column?
    var serviceProvider: Column?
    var resourceName: Column?
    var resourceId: Column?
    var resourceGroup: Column?
    var tags: Column?
    var meterSubcategory: Column?
    var meterName: Column?
    var skuMeter: Column?
    var description: Column?
}

private struct AzureLayout {
    var day: Column
    var amount: Column
    var currency: Column
    var service: Column
    var chargeType: Column
    var resourceGroup: Column?
    var resourceName: Column?
    var resourceId: Column?
    var meterSubcategory: Column?
    var meterName: Column?
    var tags: Column?
}

private enum Layout {
    case focus(FocusLayout)
    case azure(AzureLayout)
}

private struct ImportSession {
    let window: ByteWindow
    /// The window's bytes, taken again after each refill; `fields` index into them.
    var buffer: UnsafeBufferPointer<UInt8>
    var position: Int
    var line = 1
    let file: String
    let basis: CostBasis
    let skipBadRows: Bool
    /// FOCUS exports (the sample data) write an unquoted NULL for no value.
    var nullMeansMissing = false
    var fields: [CSVField] = []
    var lastCurrency: (bytes: (UInt8, UInt8, UInt8), currency: Currency)?
    var tagCache = TagCache()

    init(window: ByteWindow, basis: CostBasis, skipBadRows: Bool) {
        self.window = window
        buffer = window.bytes
        let bom = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
        position = bom ? 3 : 0
        file = window.file
        self.basis = basis
        self.skipBadRows = skipBadRows
    }

    /// Scans the next record, reading more of the file first when the
    /// window ends inside it. A record cut off by the window's end, a quote
    /// still open there or a CR that may be half of a CR LF are all scanned
    /// again once the rest is in.
    mutating func nextRecord() throws(ImportProblem) -> CSVScanner.Result {
        while true {
            let start = position
            let startLine = line
            let result = CSVScanner.scanRecord(buffer, &position, &line, &fields)
            let complete: Bool
            switch result {
            case .record: complete = position < buffer.count
            case .end, .malformed: complete = false
            }
            if complete || window.atEnd { return result }
            position = start
            line = startLine
            try window.advance(keepingFrom: start, line: startLine)
            buffer = window.bytes
            position = 0
        }
    }

    mutating func run(_ each: (CostRecord) -> Void) throws(ImportProblem) -> CostFileSummary {
        switch try nextRecord() {
        case .end:
            throw ImportProblem(file: file, message: "the file is empty; \(CostFileImporter.expectedColumnsText)")
        case .malformed(let problemLine, let fieldIndex, let message):
            throw ImportProblem(file: file, line: problemLine, message: "header field \(fieldIndex + 1): \(message)")
        case .record:
            break
        }
        let header = fields.map { CSVScanner.string(in: buffer, $0).trimmingCharacters(in: .whitespaces) }
        let layout = try Self.layout(header: header, basis: basis, file: file)
        let format: CostFileFormat
        switch layout {
        case .focus(let focus):
            format = .focus(version: focus.version)
            nullMeansMissing = true
        case .azure:
            format = .azureCostExport
        }

        var skipped: [ImportProblem] = []
        var skippedCount = 0
        var rowCount = 0
        while true {
            let rowLine: Int
            switch try nextRecord() {
            case .end:
                return CostFileSummary(file: file, format: format, rowCount: rowCount, skipped: skipped, skippedCount: skippedCount)
            case .malformed(let problemLine, let fieldIndex, let message):
                // The rest of the file cannot be split reliably after a broken quote.
                throw ImportProblem(
                    file: file, line: problemLine, column: fieldIndex < header.count ? header[fieldIndex] : nil,
                    message: message)
            case .record(let startLine):
                rowLine = startLine
            }
            rowCount += 1
            do throws(RowProblem) {
                guard fields.count == header.count else {
                    throw RowProblem(
                        column: nil,
                        message: "the row has \(fields.count) fields but the header has \(header.count)"
                            + " (row starts \(rowExcerpt()))")
                }
                var record: CostRecord
                switch layout {
                case .focus(let focus): record = try focusRecord(focus)
                case .azure(let azure): record = try azureRecord(azure)
                }
                record.source = RecordSource(file: file, line: rowLine)
                each(record)
            } catch {
                let problem = ImportProblem(file: file, line: rowLine, column: error.column, message: error.message)
                guard skipBadRows else { throw problem }
                skippedCount += 1
                if skipped.count < CostFileImporter.keptProblems { skipped.append(problem) }
            }
        }
    }

    // MARK: Header

    private static func layout(header: [String], basis: CostBasis, file: String) throws(ImportProblem) -> Layout {
        var byName: [String: Int] = [:]
        for (index, name) in header.enumerated() where byName[name.lowercased()] == nil {
            byName[name.lowercased()] = index
        }
        func find(_ names: [String]) -> Column? {
            for name in names {
                if let index = byName[name.lowercased()] { return Column(index: index, name: header[index]) }
            }
            return nil
        }
        func has(_ name: String) -> Bool { byName[name.lowercased()] != nil }
        func require(_ columns: [ImportColumn], format: String) throws(ImportProblem) -> [String: Column] {
            var found: [String: Column] = [:]
            var missing: [String] = []
            for column in columns where column.basis == nil || column.basis == basis {
                if let match = find(column.names) {
                    found[column.field] = match
                } else if column.isRequired {
                    let names = column.names.joined(separator: " or ")
                    missing.append(column.basis.map { "\(names) (needed for \($0) cost)" } ?? names)
                }
            }
            guard missing.isEmpty else {
                throw ImportProblem(
                    file: file,
                    message: "this looks like \(format) but lacks the column"
                        + (missing.count == 1 ? " " : "s ") + missing.joined(separator: ", "))
            }
            return found
        }

        if has("ChargePeriodStart") || has("BilledCost") {
            let version =
                has("ServiceProviderName")
                ? "1.3"
                : CostFileImporter.focus12Markers.contains(where: has) ? "1.2" : "1.0"
            let c = try require(CostFileImporter.focusColumns, format: "a FOCUS \(version) file")
            return .focus(
                FocusLayout(
                    version: version, day: c["day"]!, amount: c["amount"]!, currency: c["currency"]!,
                    service: c["service"]!, category: c["chargeCategory"]!,
                    provider: find(["ProviderName"]), serviceProvider: find(["ServiceProviderName"]),
                    resourceName: c["resourceName"], resourceId: c["resourceId"], resourceGroup: c["resourceGroup"],
                    tags: c["tags"], meterSubcategory: c["meterSubcategory"], meterName: find(["x_SkuMeterName"]),
                    skuMeter: find(["SkuMeter"]), description: c["chargeDescription"]))
        }
        if has("MeterCategory") || (has("Date") && (has("Cost") || has("CostInBillingCurrency"))) {
            let c = try require(CostFileImporter.azureExportColumns, format: "an Azure cost export")
            return .azure(
                AzureLayout(
                    day: c["day"]!, amount: c["amount"]!, currency: c["currency"]!, service: c["service"]!,
                    chargeType: c["chargeCategory"]!, resourceGroup: c["resourceGroup"], resourceName: c["resourceName"],
                    resourceId: c["resourceId"], meterSubcategory: c["meterSubcategory"], meterName: c["meterName"],
                    tags: c["tags"]))
        }
        let shown = header.prefix(8).map { "'\(ImportSession.excerpt($0, limit: 30))'" }.joined(separator: ", ")
        let found = header.isEmpty || header == [""] ? "no columns" : "columns \(shown)\(header.count > 8 ? ", …" : "")"
        throw ImportProblem(
            file: file,
            message: "not a known cost export: found \(found); \(CostFileImporter.expectedColumnsText)")
    }

    // MARK: Rows

    private mutating func focusRecord(_ layout: FocusLayout) throws(RowProblem) -> CostRecord {
        let day = try required(layout.day) { (bytes) throws(RowProblem) -> CivilDate in
            guard let day = ImportValues.isoDay(bytes) else {
                throw RowProblem(
                    column: layout.day.name,
                    message: "\(quoted(layout.day)) is not a date-time (expected e.g. 2024-09-01T00:00:00Z)")
            }
            return day
        }
        let amount = try amount(layout.amount)
        let currency = try currency(layout.currency)
        let service = try requiredString(layout.service)
        let category = try chargeCategory(
            layout.category, table: Self.focusCategories,
            expected: ChargeCategory.allCases.map(\.rawValue))
        guard let provider = string(layout.provider) ?? string(layout.serviceProvider) else {
            let column = layout.provider ?? layout.serviceProvider
            throw RowProblem(column: column?.name, message: column.map(missingMessage) ?? "no provider column")
        }
        let resourceGroup = try resourceGroup(layout.resourceGroup, resourceId: layout.resourceId)
        let tags = try tags(layout.tags)
        return CostRecord(
            day: day, amount: amount, currency: currency, service: service, resourceGroup: resourceGroup,
            resourceName: string(layout.resourceName), tags: tags, chargeCategory: category,
            provider: provider, meterSubcategory: string(layout.meterSubcategory),
            meterName: string(layout.meterName) ?? string(layout.skuMeter) ?? string(layout.description))
    }

    private mutating func azureRecord(_ layout: AzureLayout) throws(RowProblem) -> CostRecord {
        let day = try required(layout.day) { (bytes) throws(RowProblem) -> CivilDate in
            guard let day = ImportValues.exportDay(bytes) else {
                throw RowProblem(
                    column: layout.day.name,
                    message: "\(quoted(layout.day)) is not a date (expected MM/DD/YYYY or YYYY-MM-DD)")
            }
            return day
        }
        let amount = try amount(layout.amount)
        let currency = try currency(layout.currency)
        let service = try requiredString(layout.service)
        let category = try chargeCategory(
            layout.chargeType, table: Self.azureCategories,
            expected: CostFileImporter.azureChargeTypes.map(\.chargeType))
        let resourceGroup = try resourceGroup(layout.resourceGroup, resourceId: layout.resourceId)
        var resourceName = string(layout.resourceName)
        if resourceName == nil {
            resourceName = try value(layout.resourceId) { (bytes) throws(RowProblem) in
                ImportValues.lastSegment(ofResourceId: bytes)
            }
        }
        let tags = try tags(layout.tags)
        return CostRecord(
            day: day, amount: amount, currency: currency, service: service, resourceGroup: resourceGroup,
            resourceName: resourceName, tags: tags, chargeCategory: category, provider: "Microsoft",
            meterSubcategory: string(layout.meterSubcategory), meterName: string(layout.meterName))
    }

    // MARK: Values

    private static let focusCategories: [String: ChargeCategory] = {
        var table: [String: ChargeCategory] = [:]
        for category in ChargeCategory.allCases {
            table[category.rawValue] = category
            table[category.rawValue.lowercased()] = category
        }
        return table
    }()

    private static let azureCategories: [String: ChargeCategory] = {
        var table: [String: ChargeCategory] = [:]
        for (name, category) in CostFileImporter.azureChargeTypes {
            table[name] = category
            table[name.lowercased()] = category
        }
        return table
    }()

    private func isMissing(_ field: CSVField) -> Bool {
        field.isEmpty || (nullMeansMissing && CSVScanner.isNullLiteral(in: buffer, field))
    }

    /// The field's content bytes (doubled quotes undone), or nil when missing.
    private func value<R>(
        _ column: Column?,
        _ body: (UnsafeBufferPointer<UInt8>) throws(RowProblem) -> R?
    ) throws(RowProblem) -> R? {
        guard let column else { return nil }
        let field = fields[column.index]
        if isMissing(field) { return nil }
        let slice = UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
        if !field.hasEscapedQuotes { return try body(slice) }
        let copy = CSVScanner.unescaped(slice)
        return try copy.withUnsafeBufferPointer { (bytes) throws(RowProblem) -> R? in try body(bytes) }
    }

    private func required<R>(
        _ column: Column,
        _ body: (UnsafeBufferPointer<UInt8>) throws(RowProblem) -> R
    ) throws(RowProblem) -> R {
        guard let result = try value(column, { (bytes) throws(RowProblem) -> R? in try body(bytes) }) else {
            throw RowProblem(column: column.name, message: missingMessage(column))
        }
        return result
    }

    private func string(_ column: Column?) -> String? {
        guard let column else { return nil }
        let field = fields[column.index]
        return isMissing(field) ? nil : CSVScanner.string(in: buffer, field)
    }

    private func requiredString(_ column: Column) throws(RowProblem) -> String {
        guard let text = string(column) else { throw RowProblem(column: column.name, message: missingMessage(column)) }
        return text
    }

    private func amount(_ column: Column) throws(RowProblem) -> Decimal {
        try required(column) { (bytes) throws(RowProblem) -> Decimal in
            guard let amount = ImportValues.decimal(bytes) else {
                throw RowProblem(column: column.name, message: "\(quoted(column)) is not a number")
            }
            return amount
        }
    }

    private mutating func currency(_ column: Column) throws(RowProblem) -> Currency {
        let field = fields[column.index]
        if isMissing(field) { throw RowProblem(column: column.name, message: missingMessage(column)) }
        let bytes = UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
        guard !field.hasEscapedQuotes, ImportValues.isCurrencyCode(bytes) else {
            throw RowProblem(column: column.name, message: "\(quoted(column)) is not an ISO 4217 currency code")
        }
        let key = (bytes[0], bytes[1], bytes[2])
        if let last = lastCurrency, last.bytes == key { return last.currency }
        let currency = Currency(code: String(decoding: bytes, as: UTF8.self))
        lastCurrency = (key, currency)
        return currency
    }

    private func chargeCategory(
        _ column: Column, table: [String: ChargeCategory],
        expected: [String]
    ) throws(RowProblem) -> ChargeCategory {
        let text = try requiredString(column)
        guard let category = table[text] ?? table[text.lowercased()] else {
            throw RowProblem(
                column: column.name,
                message: "\(quoted(column)) is not a known charge category (expected \(expected.joined(separator: ", ")))")
        }
        return category
    }

    /// The resource group column's value, else the group named in the resource id.
    private func resourceGroup(_ column: Column?, resourceId: Column?) throws(RowProblem) -> String? {
        if let name = string(column) { return name }
        return try value(resourceId) { (bytes) throws(RowProblem) in ImportValues.resourceGroup(inResourceId: bytes) }
    }

    private mutating func tags(_ column: Column?) throws(RowProblem) -> [String: String] {
        guard let column else { return [:] }
        let field = fields[column.index]
        if isMissing(field) { return [:] }
        let raw = UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
        if let cached = tagCache.tags(for: raw) { return cached }
        let parsed =
            try value(column) { (bytes) throws(RowProblem) -> [String: String]? in
                do throws(ImportValues.TagSyntaxError) {
                    return try ImportValues.tags(bytes)
                } catch {
                    throw RowProblem(
                        column: column.name,
                        message: "\(quoted(column)) is not a JSON object of tags (\(error.message))")
                }
            } ?? [:]
        tagCache.insert(parsed, for: raw)
        return parsed
    }

    // MARK: Messages

    private func missingMessage(_ column: Column) -> String {
        let field = fields[column.index]
        return field.isEmpty ? "the value is empty, but one is required" : "'NULL' means no value, but one is required"
    }

    /// The field's text in quotes, shortened for a message.
    private func quoted(_ column: Column) -> String {
        "'\(Self.excerpt(CSVScanner.string(in: buffer, fields[column.index])))'"
    }

    private func rowExcerpt() -> String {
        guard let first = fields.first, let last = fields.last else { return "''" }
        let start = first.isQuoted ? first.start - 1 : first.start
        let end = last.isQuoted ? last.end + 1 : last.end
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<min(end, start + 200)]), as: UTF8.self)
        return "'\(Self.excerpt(text))'"
    }

    static func excerpt(_ text: String, limit: Int = 40) -> String {
        var shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        shown = shown.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        return shown
    }
}

/// Parsed tags by the text they came from. Rows of one resource repeat its
/// tags, so most rows of a large export find theirs here (and share one
/// dictionary's storage). A hit costs a hash and a compare, no allocation.
private struct TagCache {
    private var entries: [UInt64: (text: [UInt8], tags: [String: String])] = [:]
    private static let capacity = 16_384
    /// Longer tag texts are parsed each time rather than kept: 16,384 of
    /// them would otherwise hold as much as the records they came from.
    private static let longestText = 1_024

    func tags(for text: UnsafeBufferPointer<UInt8>) -> [String: String]? {
        guard let entry = entries[Self.hash(text)], entry.text.count == text.count else { return nil }
        let same = entry.text.withUnsafeBufferPointer { stored in
            text.isEmpty || memcmp(stored.baseAddress!, text.baseAddress!, text.count) == 0
        }
        return same ? entry.tags : nil
    }

    mutating func insert(_ tags: [String: String], for text: UnsafeBufferPointer<UInt8>) {
        guard entries.count < Self.capacity, text.count <= Self.longestText else { return }
        let key = Self.hash(text)
        if entries[key] == nil { entries[key] = (Array(text), tags) }
    }

    /// FNV-1a.
    private static func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
