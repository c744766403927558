import Foundation
import QLPCore
import QLPReport
import Testing

/// The real export files in Fixtures/costs (see SOURCES.md there).
enum CostFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/costs")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Every CSV data file in the folder.
    static var csvFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted()
    }

    static func load(_ name: String, basis: CostBasis = .actual) throws -> CostFileImport {
        try CostFileImporter.load(path: path(name), basis: basis, skipBadRows: false)
    }
}

/// A deliberately plain second reading of a CSV file, to check the importer
/// against: Unicode scalars one by one, a quote flag, nothing shared with the
/// importer's byte scanner or value parsers.
struct ReferenceCSV {
    var header: [String]
    var rows: [[String]]

    init(contentsOf path: String) throws {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else if c != "\r" {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    func column(_ name: String) -> [String]? {
        guard let index = header.firstIndex(of: name) else { return nil }
        return rows.map { $0[index] }
    }

    static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
    }

    /// "09/21/2023" -> "2023-09-21"; "2024-09-18 22:00:00" -> "2024-09-18".
    static func isoDay(_ text: String) -> String {
        if text.contains("/") {
            let parts = text.split(separator: "/")
            return "\(parts[2])-\(parts[0])-\(parts[1])"
        }
        return String(text.prefix(10))
    }
}

/// Totals grouped by a key, summed in file order.
private func sums(_ keys: [String], _ amounts: [Decimal]) -> [String: Decimal] {
    var result: [String: Decimal] = [:]
    for (key, amount) in zip(keys, amounts) { result[key, default: 0] += amount }
    return result
}

private func counts(_ keys: [String]) -> [String: Int] {
    var result: [String: Int] = [:]
    for key in keys { result[key, default: 0] += 1 }
    return result
}

private func total(_ amounts: [Decimal]) -> Decimal { amounts.reduce(0, +) }

@Suite("Cost file import: the real fixture files")
struct CostFileImporterFixtureTests {
    @Test func theFixtureFolderHasTheExpectedFiles() {
        #expect(
            CostFixtures.csvFiles == [
                "azure-ea-actualcost-small.csv", "azure-ea-amortizedcost-small.csv", "azure-ea-norows.csv",
                "focus-1.0-sample-multicloud-1000.csv",
            ])
    }

    /// For every CSV in the folder and both bases: the importer agrees exactly
    /// with the plain reading on rows, total, per service, per day, per currency.
    @Test(arguments: CostFixtures.csvFiles, CostBasis.allCases)
    func totalsAgreeWithAnIndependentReading(file: String, basis: CostBasis) throws {
        let reference = try ReferenceCSV(contentsOf: CostFixtures.path(file))
        let imported = try CostFixtures.load(file, basis: basis)

        let isFocus = reference.header.contains("BilledCost")
        let amountColumn = isFocus ? (basis == .actual ? "BilledCost" : "EffectiveCost") : "Cost"
        let amounts = try #require(reference.column(amountColumn)).map(ReferenceCSV.decimal)
        let services = try #require(reference.column(isFocus ? "ServiceName" : "MeterCategory"))
        let days = try #require(reference.column(isFocus ? "ChargePeriodStart" : "Date")).map(ReferenceCSV.isoDay)
        let currencies = try #require(reference.column("BillingCurrency"))

        #expect(imported.format == (isFocus ? .focus(version: "1.0") : .azureCostExport))
        #expect(imported.skipped.isEmpty)
        #expect(imported.rowCount == reference.rows.count)
        #expect(imported.records.count == reference.rows.count)

        let records = imported.records
        #expect(total(records.map(\.amount)) == total(amounts))
        #expect(sums(records.map(\.service), records.map(\.amount)) == sums(services, amounts))
        #expect(sums(records.map(\.day.iso8601), records.map(\.amount)) == sums(days, amounts))
        #expect(sums(records.map(\.currency.code), records.map(\.amount)) == sums(currencies, amounts))
        #expect(imported.currencies == Set(currencies.map(Currency.init(code:))))

        // Each record points back at its physical line (no field in these files spans lines).
        #expect(records.map { $0.source?.line } == Array(2..<(2 + reference.rows.count)))
        #expect(records.allSatisfy { $0.source?.file == CostFixtures.path(file) })

        if isFocus {
            let providers = try #require(reference.column("ProviderName"))
            let categories = try #require(reference.column("ChargeCategory"))
            #expect(counts(records.map(\.provider)) == counts(providers))
            #expect(sums(records.map(\.provider), records.map(\.amount)) == sums(providers, amounts))
            #expect(counts(records.map(\.chargeCategory.rawValue)) == counts(categories))
        }
    }

    @Test func focusSampleMatchesItsProvenanceNotes() throws {
        let imported = try CostFixtures.load("focus-1.0-sample-multicloud-1000.csv")
        #expect(imported.rowCount == 1000)
        #expect(counts(imported.records.map(\.provider)) == ["AWS": 942, "Microsoft": 51, "Oracle": 7])
        #expect(counts(imported.records.map(\.chargeCategory.rawValue)) == ["Usage": 997, "Adjustment": 2, "Credit": 1])
        #expect(imported.currencies == [.usd])
        // Sums worked out separately (Python's decimal module over the same column).
        #expect(total(imported.records.map(\.amount)) == ReferenceCSV.decimal("20.52022672899"))
    }

    @Test func amortizedFocusUsesEffectiveCost() throws {
        let actual = try CostFixtures.load("focus-1.0-sample-multicloud-1000.csv", basis: .actual)
        let amortized = try CostFixtures.load("focus-1.0-sample-multicloud-1000.csv", basis: .amortized)
        let actualTotal = total(actual.records.map(\.amount))
        let amortizedTotal = total(amortized.records.map(\.amount))
        #expect(amortizedTotal == ReferenceCSV.decimal("14.97651418586"))
        #expect(amortizedTotal != actualTotal)
        // The credit row: BilledCost -2.6137, EffectiveCost -3.
        let credit = try #require(amortized.records.first { $0.chargeCategory == .credit })
        #expect(credit.amount == -3)
        #expect(try #require(actual.records.first { $0.chargeCategory == .credit }).amount == ReferenceCSV.decimal("-2.6137"))
        // The Oracle adjustments bill 0.192 and 0.08 but amortize to 0.
        #expect(amortized.records.filter { $0.chargeCategory == .adjustment }.map(\.amount) == [0, 0])
        #expect(
            actual.records.filter { $0.chargeCategory == .adjustment }.map(\.amount)
                == [ReferenceCSV.decimal("0.192"), ReferenceCSV.decimal("0.08")])
    }

    @Test func eaActualHasTenUsageRowsAndOnePurchase() throws {
        let imported = try CostFixtures.load("azure-ea-actualcost-small.csv")
        #expect(counts(imported.records.map(\.chargeCategory.rawValue)) == ["Usage": 10, "Purchase": 1])
        let purchase = try #require(imported.records.first { $0.chargeCategory == .purchase })
        #expect(purchase.amount == ReferenceCSV.decimal("3.25"))
        #expect(purchase.service == "Virtual Machines")
        #expect(purchase.day == CivilDate(year: 2023, month: 9, day: 21))
        // Its ResourceId ends in "/" and it names no group: nothing to show, rather than "reservations".
        #expect(purchase.resourceName == nil)
        #expect(purchase.resourceGroup == nil)
        #expect(total(imported.records.map(\.amount)) == ReferenceCSV.decimal("8.5450077867419368"))
    }

    @Test func eaAmortizedKeepsEveryDigit() throws {
        let imported = try CostFixtures.load("azure-ea-amortizedcost-small.csv", basis: .amortized)
        #expect(imported.rowCount == 28)
        #expect(imported.records.allSatisfy { $0.chargeCategory == .usage })
        #expect(total(imported.records.map(\.amount)) == ReferenceCSV.decimal("16.296932136636644627485419"))
        // A 28-place amount read exactly, not through Double.
        #expect(imported.records.contains { $0.amount == ReferenceCSV.decimal("0.0000000072922557592391990000") })
    }

    @Test func headerOnlyExportIsValidAndEmpty() throws {
        let imported = try CostFixtures.load("azure-ea-norows.csv")
        #expect(imported.format == .azureCostExport)
        #expect(imported.rowCount == 0)
        #expect(imported.records.isEmpty)
        #expect(imported.currencies.isEmpty)
    }
}

@Suite("Cost file import: quirks of the real files")
struct CostFileImporterQuirkTests {
    @Test func eaFilesStartWithAByteOrderMark() throws {
        for name in ["azure-ea-actualcost-small.csv", "azure-ea-amortizedcost-small.csv", "azure-ea-norows.csv"] {
            let bytes = try #require(FileManager.default.contents(atPath: CostFixtures.path(name)))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(try CostFixtures.load(name).format == .azureCostExport)
        }
    }

    @Test func eaDatesAreMonthFirst() throws {
        let imported = try CostFixtures.load("azure-ea-actualcost-small.csv")
        // Line 2 is "09/21/2023", line 3 "09/04/2023".
        #expect(imported.records[0].day == CivilDate(year: 2023, month: 9, day: 21))
        #expect(imported.records[1].day == CivilDate(year: 2023, month: 9, day: 4))
    }

    @Test func eaTagsWithoutBracesAreParsed() throws {
        let imported = try CostFixtures.load("azure-ea-actualcost-small.csv")
        let storage = imported.records[1]  // line 3: the Databricks storage account
        #expect(storage.source?.line == 3)
        #expect(
            storage.tags == [
                "CostCenter": "1234", "env": "prod", "org": "trey", "application": "databricks",
                "databricks-environment": "true",
            ])
        #expect(storage.resourceGroup == "databricks-rg-PeskyData-s6taefbli5c5e")
        #expect(storage.resourceName == "dbstoragewp6hglwvvrad2")
        #expect(storage.meterSubcategory == "Tiered Block Blob")
        #expect(storage.meterName == "GRS List and Create Container Operations")
        #expect(storage.provider == "Microsoft")
        // An empty tag value survives; an empty Tags cell is no tags.
        #expect(imported.records.contains { $0.tags == ["CostCenter": "SubACM", "org": ""] })
        #expect(imported.records[0].tags == [:])
    }

    @Test func eaTagValuesHoldingResourceIdsAreKeptWhole() throws {
        let imported = try CostFixtures.load("azure-ea-actualcost-small.csv")
        let hub = try #require(imported.records.first { $0.resourceName == "finopshubggecwj5veqe5s" })
        #expect(
            hub.tags["cm-resource-parent"]
                == "/subscriptions/ed570627-0265-4620-bb42-bae06bcfa914/resourceGroups/ftk-micflan-TemplateDeployment/providers/Microsoft.Cloud/hubs/finopshub"
        )
    }

    @Test func focusNullTextMeansMissing() throws {
        let imported = try CostFixtures.load("focus-1.0-sample-multicloud-1000.csv")
        let first = imported.records[0]  // line 2: AWS SQS, ResourceName and Tags are NULL
        #expect(first.resourceName == nil)
        #expect(first.tags == [:])
        #expect(first.resourceGroup == nil)
        #expect(first.meterSubcategory == nil)
        #expect(first.meterName == "$0.40 per million Amazon SQS standard requests in Tier1 in US West (Oregon)")
        #expect(first.service == "Amazon Simple Queue Service")
        #expect(first.amount == ReferenceCSV.decimal("0.0000008"))
        // No record carries the text "NULL" anywhere.
        for record in imported.records {
            let texts = [
                record.service, record.provider, record.resourceGroup, record.resourceName,
                record.meterSubcategory, record.meterName,
            ].compactMap { $0 }
            #expect(!texts.contains("NULL"))
        }
    }

    @Test func focusDateTimeWithoutTOrZ() throws {
        let imported = try CostFixtures.load("focus-1.0-sample-multicloud-1000.csv")
        // Line 2: ChargePeriodStart "2024-09-18 22:00:00".
        #expect(imported.records[0].day == CivilDate(year: 2024, month: 9, day: 18))
        let days = Set(imported.records.map(\.day))
        #expect(days.allSatisfy { $0.year == 2024 && $0.month == 9 })
    }

    @Test func focusMicrosoftRowsGetTheirResourceGroupFromTheId() throws {
        let imported = try CostFixtures.load("focus-1.0-sample-multicloud-1000.csv")
        let azure = imported.records.filter { $0.provider == "Microsoft" }
        #expect(azure.count == 51)
        // ".../resourcegroups/ftk-integration-tests/..." (lower case in this file).
        let storage = try #require(azure.first { $0.resourceName == "2b7e6ef8d799420f9aafb807" })
        #expect(storage.resourceGroup == "ftk-integration-tests")
        #expect(storage.service == "Storage Accounts")
        #expect(storage.day == CivilDate(year: 2024, month: 9, day: 4))
        // Keys differing only by a leading space are different tags, as in the file.
        #expect(storage.tags["org"] == "trey")
        #expect(storage.tags[" org"] == "trey")
        #expect(storage.tags.count == 6)
        #expect(azure.allSatisfy { $0.resourceGroup != nil })
    }
}

@Suite("Cost file import: Azure's FOCUS export schemas")
struct FocusSchemaTests {
    private static func columns(_ name: String) throws -> Set<String> {
        let data = try #require(FileManager.default.contents(atPath: CostFixtures.path(name)))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let translator = try #require(json["translator"] as? [String: Any])
        let mappings = try #require(translator["mappings"] as? [[String: Any]])
        return Set(mappings.compactMap { ($0["source"] as? [String: Any])?["name"] as? String })
    }

    @Test func everyFocusColumnReadExistsInAzuresExports() throws {
        let focus10 = try Self.columns("azure-focuscost-1.0-export-schema.json")
        let focus12 = try Self.columns("azure-focuscost-1.2-export-schema.json")
        #expect(focus10.count == 96)
        #expect(focus12.count == 104)
        let focus13Aliases: Set = ["ServiceProviderName"]
        for column in CostFileImporter.focusColumns {
            // Each value can be read from both versions of Azure's export ...
            #expect(column.names.contains(where: focus10.contains), "\(column.field) in FOCUS 1.0")
            #expect(column.names.contains(where: focus12.contains), "\(column.field) in FOCUS 1.2")
            // ... and every name read is a real column of one of them (or the 1.3 rename).
            for name in column.names where !focus13Aliases.contains(name) {
                #expect(focus10.contains(name) || focus12.contains(name), "\(name)")
            }
            if column.isRequired {
                #expect(focus10.contains(column.names[0]) && focus12.contains(column.names[0]), "\(column.names[0])")
            }
        }
        // Why meterName reads two columns: Azure renamed x_SkuMeterName to SkuMeter in 1.2.
        #expect(focus10.contains("x_SkuMeterName") && !focus12.contains("x_SkuMeterName"))
        #expect(focus12.contains("SkuMeter") && !focus10.contains("SkuMeter"))
    }

    /// A file with exactly the columns of Azure's export, one row: the
    /// version is recognised and the x_ columns are used.
    @Test(arguments: [("azure-focuscost-1.0-export-schema.json", "1.0"), ("azure-focuscost-1.2-export-schema.json", "1.2")])
    func anAzureFocusExportHeaderIsRecognised(schema: String, version: String) throws {
        let names = try Self.columns(schema).sorted()
        let values: [String: String] = [
            "ChargePeriodStart": "2025-03-01T00:00:00Z", "BilledCost": "12.5", "EffectiveCost": "10",
            "BillingCurrency": "GBP", "ServiceName": "Azure AI Services", "ChargeCategory": "Usage",
            "ProviderName": "Microsoft", "ResourceId": "/subscriptions/s/resourceGroups/from-id/providers/x/y/oai",
            "ResourceName": "oai", "x_ResourceGroupName": "rg-ai", "Tags": "{\"team\":\"ml\"}",
            "x_SkuMeterSubcategory": "Azure OpenAI", "x_SkuMeterName": "gpt-4-turbo Input Tokens",
            "SkuMeter": "gpt-4-turbo Input Tokens", "ChargeDescription": "long text",
        ]
        let row = names.map { name in values[name].map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" } ?? "" }
        let text = names.joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n"
        let imported = try CostFileImporter.parse(Array(text.utf8), file: "focus.csv", basis: .actual, skipBadRows: false)
        #expect(imported.format == .focus(version: version))
        let record = try #require(imported.records.first)
        #expect(record.day == CivilDate(year: 2025, month: 3, day: 1))
        #expect(record.amount == ReferenceCSV.decimal("12.5"))
        #expect(record.currency == .gbp)
        #expect(record.resourceGroup == "rg-ai")
        #expect(record.meterSubcategory == "Azure OpenAI")
        #expect(record.meterName == "gpt-4-turbo Input Tokens")
        #expect(record.tags == ["team": "ml"])
        let amortized = try CostFileImporter.parse(Array(text.utf8), file: "focus.csv", basis: .amortized, skipBadRows: false)
        #expect(amortized.records.first?.amount == 10)
    }
}
