import Foundation
import QLPCore
import Testing

@testable import QLPReport

/// Issue 14, finding 14: a cost export is read as a stream, a chunk at a
/// time. Records that straddle a chunk's end import exactly as they do from
/// memory, and a "record" that never ends is refused instead of read whole.
@Suite struct StreamedImportTests {
    /// MeterName last, so that a multi-line value can be placed after the padding.
    static let header =
        "Date,Cost,BillingCurrency,MeterCategory,MeterSubCategory,ResourceGroup,ResourceId,ResourceName,Tags,ChargeType,MeterName"

    static func row(_ n: Int, name: String, meter: String = "Meter") -> String {
        "11/\(10 + n % 9)/2026,\(n % 97).25,GBP,Storage,Sub,rg-\(n % 5),/subscriptions/s/resourceGroups/rg-\(n % 5)/providers/p/t/r\(n),"
            + "\(name),\"{\"\"team\"\": \"\"t\(n % 3)\"\"}\",Usage,\(meter)\r\n"
    }

    /// A file whose chunk boundaries fall in the hard places: between the CR
    /// and LF of a line end, between the two quotes of a doubled quote, and
    /// inside a quoted value that holds a line break.
    static func awkwardFile() -> (bytes: [UInt8], rows: Int) {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((header + "\r\n").utf8)
        var n = 0
        func add(_ text: String) {
            bytes += Array(text.utf8)
            n += 1
        }
        /// A row whose `marker`'s first byte lands at `offset` (padding the resource name).
        /// A row whose `marker`'s first byte lands at `offset` (padding the resource name before it).
        func place(_ marker: String, at offset: Int, meter: String = "Meter") {
            while bytes.count < offset - 600 { add(row(n, name: "r\(n)")) }
            let template = Array(row(n, name: "r", meter: meter).utf8)
            let needle = Array(marker.utf8)
            let at = template.indices.last { template[$0...].starts(with: needle) }!
            let pad = offset - bytes.count - at
            precondition(pad >= 0)
            add(row(n, name: "r" + String(repeating: "x", count: pad), meter: meter))
            precondition(bytes[offset...].starts(with: needle))
        }
        let chunk = ByteWindow.chunkSize
        place("\r\n", at: chunk - 1)  // CR | LF
        place("\"\"t", at: 2 * chunk - 1)  // " | " of a doubled quote
        place("\r\nsecond", at: 3 * chunk - 1, meter: "\"first\r\nsecond\"")  // CR | LF inside a quoted value
        for _ in 0..<200 { add(row(n, name: "r\(n)")) }
        return (bytes, n)
    }

    @Test func finding14_recordsAcrossChunkBoundariesImportAsFromMemory() throws {
        let (bytes, rows) = Self.awkwardFile()
        let path = NSTemporaryDirectory() + "qlp-streamed-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let whole = try CostFileImporter.parse(bytes, file: path, basis: .actual, skipBadRows: false)
        var streamed: [CostRecord] = []
        let summary = try CostFileImporter.read(path: path, basis: .actual, skipBadRows: false) { streamed.append($0) }
        #expect(summary.rowCount == rows && whole.rowCount == rows)
        #expect(streamed.count == rows)
        #expect(streamed == whole.records)
        #expect(streamed.contains { $0.meterName == "first\r\nsecond" })
        #expect(streamed.allSatisfy { $0.tags["team"]?.hasPrefix("t") == true })
        // Line numbers count the line break inside the quoted value.
        #expect(streamed.last?.source?.line == rows + 2)
    }

    @Test func finding14_aQuoteLeftOpenIsRefusedAtItsLineWithoutReadingTheRest() throws {
        let path = NSTemporaryDirectory() + "qlp-open-quote-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data((Self.header + "\n" + Self.row(1, name: "ok") + "11/12/2026,1.00,GBP,\"Storage,").utf8))
        let filler = Data(String(repeating: "0123456789abcdef, and on\n", count: 1 << 16).utf8)  // 1.6 MB
        for _ in 0..<12 { try handle.write(contentsOf: filler) }
        try handle.close()

        #expect {
            try CostFileImporter.load(path: path, basis: .actual, skipBadRows: true)
        } throws: { error in
            let problem = error as? ImportProblem
            return problem?.line == 3 && problem?.message.contains("more than 16 MiB") == true
                && problem?.message.contains("quote left open") == true
        }
    }
}
