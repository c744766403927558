import Foundation
import QLPCore
import QLPReport
import Testing

private let eaHeader =
    "Date,Cost,BillingCurrency,MeterCategory,MeterSubCategory,MeterName,ResourceGroup,ResourceId,ResourceName,Tags,ChargeType"
private let focusHeader =
    "ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceName,ChargeCategory,ProviderName,ResourceId,ResourceName,Tags,ChargeDescription"

private func parse(
    _ text: String, file: String = "file", basis: CostBasis = .actual,
    skipBadRows: Bool = false
) throws(ImportProblem) -> CostFileImport {
    try CostFileImporter.parse(Array(text.utf8), file: file, basis: basis, skipBadRows: skipBadRows)
}

private func problem(_ text: String, file: String = "file", basis: CostBasis = .actual) -> ImportProblem? {
    do {
        _ = try parse(text, file: file, basis: basis)
        return nil
    } catch {
        return error
    }
}

private func decimal(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

/// One EA row with the given cost (and other cells defaulted).
private func eaRow(
    date: String = "09/01/2023", cost: String = "1.00", currency: String = "USD",
    service: String = "Storage", tags: String = "", chargeType: String = "Usage"
) -> String {
    let quotedTags = "\"\(tags.replacingOccurrences(of: "\"", with: "\"\""))\""
    return
        "\(date),\(cost),\(currency),\(service),Tiered Block Blob,LRS Write,rg-one,/subscriptions/s/resourceGroups/rg-one/providers/p/t/name-one,name-one,\(quotedTags),\(chargeType)"
}

@Suite("Cost file import: bad rows")
struct CostFileImporterBadRowTests {
    private let badAmountOnLine3 =
        [eaHeader, eaRow(cost: "1.50"), eaRow(cost: "abc"), eaRow(cost: "2.25")]
        .joined(separator: "\n") + "\n"

    @Test func anUnparsableAmountIsLocated() throws {
        let found = try #require(problem(badAmountOnLine3))
        #expect(found.file == "file")
        #expect(found.line == 3)
        #expect(found.column == "Cost")
        #expect(found.description == "file:3: Cost: 'abc' is not a number")
    }

    @Test func skippingBadRowsKeepsTheOthersAndListsTheProblem() throws {
        let imported = try parse(badAmountOnLine3, skipBadRows: true)
        #expect(imported.rowCount == 3)
        #expect(imported.records.map(\.amount) == [decimal("1.50"), decimal("2.25")])
        #expect(imported.records.map { $0.source?.line } == [2, 4])
        #expect(imported.skipped.map(\.description) == ["file:3: Cost: 'abc' is not a number"])
    }

    @Test func wrongFieldCount() throws {
        let text = [eaHeader, eaRow(), "09/02/2023,1.00,USD", eaRow()].joined(separator: "\n")
        let found = try #require(problem(text))
        #expect(found.line == 3)
        #expect(found.column == nil)
        #expect(found.message.contains("3 fields but the header has 11"))
        #expect(found.message.contains("'09/02/2023,1.00,USD'"))
        let imported = try parse(text, skipBadRows: true)
        #expect(imported.records.count == 2)
        #expect(imported.skipped.count == 1)
        #expect(imported.rowCount == imported.records.count + imported.skipped.count)
    }

    @Test func tooManyFields() throws {
        let found = try #require(problem(eaHeader + "\n" + eaRow() + ",extra\n"))
        #expect(found.line == 2)
        #expect(found.message.contains("12 fields but the header has 11"))
    }

    @Test func badValuesNameTheirColumnAndQuoteTheValue() throws {
        let cases: [(row: String, column: String, contains: String)] = [
            (eaRow(date: "2023-13-45"), "Date", "'2023-13-45' is not a date"),
            (eaRow(date: "31/12/2023"), "Date", "'31/12/2023' is not a date"),
            (eaRow(cost: "12.5.1"), "Cost", "'12.5.1' is not a number"),
            (eaRow(cost: "\"1,000\""), "Cost", "'1,000' is not a number"),
            (eaRow(cost: "5-3"), "Cost", "'5-3' is not a number"),
            (eaRow(cost: "-"), "Cost", "'-' is not a number"),
            (eaRow(cost: ""), "Cost", "empty, but one is required"),
            (eaRow(currency: "US Dollar"), "BillingCurrency", "'US Dollar' is not an ISO 4217 currency code"),
            (eaRow(currency: ""), "BillingCurrency", "empty"),
            (eaRow(service: ""), "MeterCategory", "empty"),
            (eaRow(chargeType: "Bonus"), "ChargeType", "'Bonus' is not a known charge category"),
            (eaRow(tags: "\"env\": prod"), "Tags", "is not a JSON object of tags"),
        ]
        for (row, column, contains) in cases {
            let found = try #require(problem(eaHeader + "\n" + row + "\n"), "\(row)")
            #expect(found.line == 2, "\(row)")
            #expect(found.column == column, "\(row)")
            #expect(found.message.contains(contains), "\(found.message)")
        }
    }

    @Test func longBadValuesAreShortenedInTheMessage() throws {
        let long = String(repeating: "9x", count: 100)
        let found = try #require(problem(eaHeader + "\n" + eaRow(cost: long) + "\n"))
        #expect(found.message.count < 80)
        #expect(found.message.hasPrefix("'9x9x"))
        #expect(found.message.contains("…"))
    }

    @Test func unknownFocusChargeCategoryAndNullRequiredValue() throws {
        let unknown = focusHeader + "\n2024-09-01,1,1,USD,Compute,Bonus,AWS,NULL,NULL,NULL,x\n"
        let found = try #require(problem(unknown))
        #expect(found.description.hasPrefix("file:2: ChargeCategory: 'Bonus' is not a known charge category"))
        #expect(found.message.contains("Usage, Purchase, Tax, Credit, Adjustment"))

        let nullService = focusHeader + "\n2024-09-01,1,1,USD,NULL,Usage,AWS,NULL,NULL,NULL,x\n"
        let missing = try #require(problem(nullService))
        #expect(missing.column == "ServiceName")
        #expect(missing.message == "'NULL' means no value, but one is required")

        // Quoted "NULL" is text, not a missing value.
        let quotedNull = focusHeader + "\n2024-09-01,1,1,USD,\"NULL\",Usage,AWS,NULL,NULL,NULL,x\n"
        #expect(try parse(quotedNull).records.first?.service == "NULL")
    }

    @Test func aMalformedQuoteStopsTheImportEvenWhenSkipping() throws {
        let text = eaHeader + "\n" + eaRow() + "\n09/02/2023,1.00,USD,Sto\"rage,a,b,c,d,e,,Usage\n" + eaRow() + "\n"
        do {
            _ = try parse(text, skipBadRows: true)
            Issue.record("expected a problem")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == "MeterCategory")
            #expect(error.message.contains("quote inside an unquoted field"))
        }
    }

    @Test func anUnclosedQuoteIsReportedAtTheLineItOpens() throws {
        let text = eaHeader + "\n" + eaRow() + "\n" + eaRow() + "\n09/03/2023,1.00,USD,Storage,a,b,c,d,e,\"open,Usage\n" + eaRow() + "\n"
        let found = try #require(problem(text))
        #expect(found.line == 4)
        #expect(found.message.contains("never closed"))
    }
}

@Suite("Cost file import: whole-file problems")
struct CostFileImporterFileProblemTests {
    @Test func unknownFormatNamesTheExpectedColumns() throws {
        let found = try #require(problem("a,b,c\n1,2,3\n", file: "mystery.csv"))
        #expect(found.file == "mystery.csv")
        #expect(found.line == nil)
        #expect(found.description.hasPrefix("mystery.csv: not a known cost export: found columns 'a', 'b', 'c'"))
        for column in [
            "ChargePeriodStart", "BilledCost", "BillingCurrency", "ServiceName", "ChargeCategory",
            "ProviderName", "Date", "Cost", "MeterCategory", "ChargeType",
        ] {
            #expect(found.message.contains(column), "\(column)")
        }
    }

    @Test func emptyFilesAreProblems() throws {
        for text in ["", "\u{FEFF}", "\n\n"] {
            let found = try #require(problem(text, file: "empty.csv"))
            #expect(found.description.hasPrefix("empty.csv: the file is empty; expected a FOCUS export ("))
            #expect(found.message.contains("MeterCategory"))
        }
    }

    @Test func headerOnlyWithUnknownColumnsIsAProblem() throws {
        let found = try #require(problem("Foo,Bar\n"))
        #expect(found.message.hasPrefix("not a known cost export"))
    }

    @Test func aKnownFormatLackingAColumnSaysWhich() throws {
        let found = try #require(problem("Date,Cost,BillingCurrency,MeterCategory\n09/01/2023,1,USD,Storage\n"))
        #expect(found.message.contains("an Azure cost export but lacks the column ChargeType"))

        let focusWithoutEffectiveCost =
            "ChargePeriodStart,BilledCost,BillingCurrency,ServiceName,ChargeCategory,ProviderName\n"
            + "2024-09-01,1,USD,S,Usage,AWS\n"
        #expect(try parse(focusWithoutEffectiveCost, basis: .actual).records.count == 1)
        let amortized = try #require(problem(focusWithoutEffectiveCost, basis: .amortized))
        #expect(amortized.message.contains("lacks the column EffectiveCost"))
    }

    @Test func aMissingFileIsAProblemNamingIt() throws {
        do {
            _ = try CostFileImporter.load(path: "/nonexistent/costs.csv", basis: .actual, skipBadRows: false)
            Issue.record("expected a problem")
        } catch {
            #expect(error.file == "/nonexistent/costs.csv")
            #expect(error.line == nil)
            #expect(error.message.hasPrefix("cannot read the file: "))
        }
    }
}

@Suite("Cost file import: mapping")
struct CostFileImporterMappingTests {
    @Test func amountsAreExactDecimals() throws {
        let amounts = [
            "0.1", "0.2", "-0.3", "+4", "1.5E-05", "2e3", " 7.25 ", "0.00150000", ".5", "3.",
            "123456789012345678901234567.5", "0.0000000072922557592391990000", "-0", "0E+2",
        ]
        let text = ([eaHeader] + amounts.map { eaRow(cost: "\"\($0)\"") }).joined(separator: "\n")
        let records = try parse(text).records
        let expected = [
            "0.1", "0.2", "-0.3", "4", "0.000015", "2000", "7.25", "0.0015", "0.5", "3",
            "123456789012345678901234567.5", "0.000000007292255759239199", "0", "0",
        ].map(decimal)
        #expect(records.map(\.amount) == expected)
        #expect(records[0].amount + records[1].amount + records[2].amount == 0)
    }

    @Test func focusDateForms() throws {
        let starts = [
            "2024-09-01T00:00:00Z", "2024-09-01T00:00:00.000Z", "2024-09-01 00:00:00", "2024-09-01",
            "2024-09-01T23:30:00Z", "2024-09-02T01:00:00+02:00", "2024-08-31T22:00:00-02:00",
            "2024-09-01T00:00Z", "2024-09-01T12:00:00.1234567",
        ]
        let rows = starts.map { "\($0),1,1,USD,S,Usage,AWS,NULL,NULL,NULL,d" }
        let records = try parse(([focusHeader] + rows).joined(separator: "\n")).records
        #expect(records.map(\.day.iso8601) == Array(repeating: "2024-09-01", count: starts.count))
        for bad in ["2024-9-1", "2024-09-01T", "2024-09-01X00:00:00", "2024-02-30", "09/01/2024", "2024-09-01T25:00:00Z"] {
            let found = try #require(problem(focusHeader + "\n\(bad),1,1,USD,S,Usage,AWS,NULL,NULL,NULL,d\n"), "\(bad)")
            #expect(found.column == "ChargePeriodStart")
            #expect(found.message.hasPrefix("'\(bad)' is not a date-time"))
        }
    }

    @Test func exportDateForms() throws {
        let dates = [
            "09/04/2023", "9/4/2023", "2023-09-04", "2023-09-04T00:00:00.0000000Z", "09/04/2023 00:00:00",
            "9/4/2023 12:00:00 AM",
        ]
        let records = try parse(([eaHeader] + dates.map { eaRow(date: $0) }).joined(separator: "\n")).records
        #expect(records.map(\.day.iso8601) == Array(repeating: "2023-09-04", count: dates.count))
    }

    @Test func azureChargeTypes() throws {
        let types = [
            "Usage", "Purchase", "Refund", "Tax", "UnusedReservation", "UnusedSavingsPlan",
            "RoundingAdjustment", "Adjustment", "usage",
        ]
        let records = try parse(([eaHeader] + types.map { eaRow(chargeType: $0) }).joined(separator: "\n")).records
        #expect(
            records.map(\.chargeCategory) == [
                .usage, .purchase, .credit, .tax, .adjustment, .adjustment,
                .adjustment, .adjustment, .usage,
            ])
    }

    @Test func tagForms() throws {
        let forms: [(String, [String: String])] = [
            ("", [:]),
            ("{}", [:]),
            ("\"env\": \"prod\",\"org\": \"trey\"", ["env": "prod", "org": "trey"]),
            ("{\"env\": \"prod\"}", ["env": "prod"]),
            (
                "{\"n\": 3, \"b\": true, \"z\": null, \"o\": {\"a\": [1, \"}\"]}}",
                ["n": "3", "b": "true", "z": "null", "o": "{\"a\": [1, \"}\"]}"]
            ),
            ("{\"q\": \"say \\\"hi\\\"\", \"u\": \"\\u00e9\\ud83d\\ude00\"}", ["q": "say \"hi\"", "u": "é😀"]),
            ("\"k\": \"v\",\"k\": \"w\"", ["k": "w"]),
        ]
        let rows = forms.map { eaRow(tags: $0.0) }
        let records = try parse(([eaHeader] + rows).joined(separator: "\n")).records
        #expect(records.map(\.tags) == forms.map(\.1))
        for bad in ["{\"a\": \"b\"", "\"a\" \"b\"", "{\"a\": \"b\"} x", "{\"a\": }", "\"a\": \"b\","] {
            let found = try #require(problem(eaHeader + "\n" + eaRow(tags: bad) + "\n"), "\(bad)")
            #expect(found.column == "Tags")
        }
    }

    @Test func mcaColumnNamesAreAccepted() throws {
        let text = """
            invoiceId,date,costInBillingCurrency,billingCurrency,meterCategory,meterSubCategory,meterName,resourceGroupName,ResourceId,tags,chargeType
            I1,2025-03-02,0.42,GBP,Azure OpenAI,Azure OpenAI,gpt-4-turbo Output Tokens,rg-ai,/subscriptions/s/resourceGroups/RG-AI/providers/Microsoft.CognitiveServices/accounts/oai-prod,"{""team"": ""ml""}",Usage

            """
        let imported = try parse(text)
        #expect(imported.format == .azureCostExport)
        let record = try #require(imported.records.first)
        #expect(record.day == CivilDate(year: 2025, month: 3, day: 2))
        #expect(record.amount == decimal("0.42"))
        #expect(record.currency == .gbp)
        #expect(record.service == "Azure OpenAI")
        #expect(record.resourceGroup == "rg-ai")
        #expect(record.resourceName == "oai-prod")  // the id's last segment when there is no ResourceName
        #expect(record.meterName == "gpt-4-turbo Output Tokens")
        #expect(record.tags == ["team": "ml"])
        #expect(record.provider == "Microsoft")
        #expect(imported.currencies == [.gbp])

        let billingCurrencyCode =
            "Date,CostInBillingCurrency,BillingCurrencyCode,MeterCategory,ChargeType\n2025-03-02,1,EUR,Storage,Usage\n"
        #expect(try parse(billingCurrencyCode).currencies == [Currency(code: "EUR")])
    }

    @Test func focus13ServiceProviderName() throws {
        let text =
            "ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceName,ChargeCategory,ServiceProviderName,HostProviderName,InvoiceId\n"
            + "2025-12-01T00:00:00Z,2,2,USD,Virtual Machines,Usage,Microsoft,Microsoft,I1\n"
        let imported = try parse(text)
        #expect(imported.format == .focus(version: "1.3"))
        #expect(imported.format.description == "FOCUS 1.3")
        #expect(imported.records.first?.provider == "Microsoft")
    }

    @Test func focusVersionByColumns() throws {
        let base = "ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceName,ChargeCategory,ProviderName"
        let row = "2025-01-01,1,1,USD,S,Usage,Microsoft"
        #expect(try parse(base + "\n" + row + "\n").format == .focus(version: "1.0"))
        #expect(try parse(base + ",InvoiceId\n" + row + ",I\n").format == .focus(version: "1.2"))
        #expect(try parse(base + ",ServiceSubcategory\n" + row + ",Other\n").format == .focus(version: "1.2"))
    }

    @Test func focusResourceGroupPrefersTheColumnThenTheId() throws {
        let header =
            "ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceName,ChargeCategory,ProviderName,ResourceId,x_ResourceGroupName"
        let text =
            header + "\n"
            + "2025-01-01,1,1,USD,S,Usage,Microsoft,/subscriptions/s/RESOURCEGROUPS/From-Id/providers/a/b/c,rg-column\n"
            + "2025-01-01,1,1,USD,S,Usage,Microsoft,/subscriptions/s/RESOURCEGROUPS/From-Id/providers/a/b/c,\n"
            + "2025-01-01,1,1,USD,S,Usage,Microsoft,/subscriptions/s/resourceGroups/last,NULL\n"
            + "2025-01-01,1,1,USD,S,Usage,Microsoft,/subscriptions/s,NULL\n"
        let records = try parse(text).records
        #expect(records.map(\.resourceGroup) == ["rg-column", "From-Id", "last", nil])
    }

    @Test func crlfFileWithMultilineFieldKeepsLines() throws {
        let text = [eaHeader, eaRow(), eaRow(service: "Line one\nline two"), eaRow(cost: "2")].joined(separator: "\r\n")
            .replacingOccurrences(of: "Storage", with: "\"Storage\"")
            .replacingOccurrences(of: "Line one\nline two", with: "\"Line one\r\nline two\"")
        let imported = try parse("\u{FEFF}" + text + "\r\n")
        #expect(imported.records.map { $0.source?.line } == [2, 3, 5])
        #expect(imported.records[1].service == "Line one\r\nline two")
        #expect(imported.records[2].amount == 2)
    }

    @Test func mixedCurrenciesAreKeptApart() throws {
        let text = [eaHeader, eaRow(currency: "GBP"), eaRow(currency: "usd"), eaRow(currency: "GBP")].joined(separator: "\n")
        let imported = try parse(text)
        #expect(imported.currencies == [.gbp, .usd])
        #expect(imported.records.map(\.currency.code) == ["GBP", "USD", "GBP"])
    }

    @Test func problemDescriptions() {
        #expect(
            ImportProblem(file: "costs.csv", line: 14, column: "BilledCost", message: "'abc' is not a number").description
                == "costs.csv:14: BilledCost: 'abc' is not a number")
        #expect(ImportProblem(file: "costs.csv", line: 14, message: "m").description == "costs.csv:14: m")
        #expect(ImportProblem(file: "costs.csv", message: "m").description == "costs.csv: m")
        #expect(CostFileFormat.azureCostExport.description == "Azure cost export")
        #expect(CostFileFormat.focus(version: "1.2").description == "FOCUS 1.2")
    }
}
