import Foundation
import QLPAzure
import QLPCore
import Testing

/// Log query tables read as metric series: which columns, lenient cells, and
/// what an unreadable shape says.
@Suite struct LogMetricSeriesTests {
    func table(_ json: String) throws -> LogQueryTable {
        try #require(try AzureWireDecoding.logQuery(Array(json.utf8)).primary)
    }

    func fixtureTable(_ path: String) throws -> LogQueryTable {
        try #require(try AzureWireDecoding.logQuery(try ExampleBody.bytes(of: try FixtureFiles.bytes(path))).primary)
    }

    @Test func aProjectedPairIsReadAndSorted() throws {
        let series = try LogMetricSeries.read(
            try table(
                #"""
                {"tables":[{"name":"PrimaryResult","columns":[{"name":"timestamp","type":"datetime"},{"name":"value","type":"real"}],
                 "rows":[["2026-11-26T10:15:00Z",1450.5],["2026-11-26T10:00:00Z","1390"],[null,3],["2026-11-26T10:30:00Z",null]]}]}
                """#))
        #expect(series.timeColumn == "timestamp" && series.valueColumn == "value")
        #expect(series.points.map(\.value) == [1390, 1450.5])  // sorted; a number sent as a string is read
        #expect(series.points.first?.at == AzureTimespan.parse("2026-11-26T10:00:00Z"))
        #expect(series.skippedRows == 2)
    }

    @Test func extraColumnsArePassedOverByName() throws {
        // customMetrics as it comes: value, valueCount, valueSum... "value" is the one.
        let series = try LogMetricSeries.read(
            try table(
                #"""
                {"tables":[{"name":"PrimaryResult","columns":[{"name":"timestamp","type":"datetime"},{"name":"name","type":"string"},
                 {"name":"value","type":"real"},{"name":"valueCount","type":"int"},{"name":"valueMax","type":"real"}],
                 "rows":[["2026-11-26T10:00:00Z","ai_model_response_time",1400,12,2100]]}]}
                """#))
        #expect(series.valueColumn == "value")
        #expect(series.points.map(\.value) == [1400])
    }

    @Test func microsoftsExamplesNameTheColumnsToProject() throws {
        // requests | take 10: one datetime, two numbers (duration, itemCount) and no "value".
        #expect(throws: LogMetricShapeError.ambiguous(kind: "numeric", columns: ["duration", "itemCount"])) {
            try LogMetricSeries.read(try fixtureTable("azure/appinsights-dataplane/v1/query-get.json"))
        }
        // Usage: three datetime columns, TimeGenerated preferred; many numbers.
        let usage = try fixtureTable("azure/loganalytics-query/v1/la-post-example.json")
        do {
            _ = try LogMetricSeries.read(usage)
            Issue.record("Usage has several numeric columns")
        } catch {
            guard case .ambiguous(let kind, let columns) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(kind == "numeric" && columns.contains("Quantity"))
            #expect(error.description.contains("project timestamp, value"))
        }
    }

    @Test func aTableWithoutTimeOrNumbersSaysWhatItHas() throws {
        let noTime = try table(#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"Count","type":"long"}],"rows":[[5]]}]}"#)
        #expect(throws: LogMetricShapeError.noTimeColumn(columns: ["Count"])) { try LogMetricSeries.read(noTime) }
        let noValue = try table(
            #"{"tables":[{"name":"PrimaryResult","columns":[{"name":"timestamp","type":"datetime"},{"name":"name","type":"string"}],"rows":[]}]}"#
        )
        #expect(throws: LogMetricShapeError.noValueColumn(columns: ["timestamp", "name"])) { try LogMetricSeries.read(noValue) }
        #expect(LogMetricShapeError.noValueColumn(columns: ["timestamp", "name"]).description.contains("(it has timestamp, name)"))
    }

    @Test func bucketsCombinePointsAndLeaveGaps() {
        let start = AzureTimespan.parse("2026-11-26T10:00:00Z")!
        func at(_ minutes: Double, _ value: Double) -> LogMetricSeries.Point {
            .init(at: start.addingTimeInterval(minutes * 60), value: value)
        }
        let series = LogMetricSeries(
            points: [at(-1, 99), at(0, 1), at(4.9, 3), at(10, 7), at(15, 100)], timeColumn: "t",
            valueColumn: "v", skippedRows: 0)
        #expect(series.buckets(from: start, grain: 300, count: 3, aggregation: .average) == [2, nil, 7])
        #expect(series.buckets(from: start, grain: 300, count: 3, aggregation: .sum) == [4, nil, 7])
        #expect(series.buckets(from: start, grain: 300, count: 3, aggregation: .maximum) == [3, nil, 7])
        #expect(series.buckets(from: start, grain: 300, count: 3, aggregation: .minimum) == [1, nil, 7])
        #expect(series.buckets(from: start, grain: 300, count: 3, aggregation: .count) == [2, nil, 1])
        #expect(series.buckets(from: start, grain: 0, count: 3, aggregation: .sum) == [])
    }
}
