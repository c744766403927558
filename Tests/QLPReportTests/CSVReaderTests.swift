import QLPReport
import Testing

@Suite("CSV reader (RFC 4180)")
struct CSVReaderTests {
    private func read(_ text: String) throws(ImportProblem) -> [CSVRecord] {
        try CSVReader.records(in: Array(text.utf8), file: "t.csv")
    }

    private func problem(_ text: String) -> ImportProblem? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func plainFieldsAndLines() throws {
        let records = try read("a,b,c\n1,2,3\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(records.map(\.line) == [1, 2])
        #expect(records[0].quoted == [false, false, false])
    }

    @Test func quotedFieldsKeepCommas() throws {
        let records = try read("name,desc\n\"Smith, J\",\"a,b,,c\"\n")
        #expect(records[1].fields == ["Smith, J", "a,b,,c"])
        #expect(records[1].quoted == [true, true])
    }

    @Test func doubledQuotesAreOneQuote() throws {
        let records = try read("x\n\"say \"\"hi\"\"\"\n\"\"\"\"\n\"\"\n")
        #expect(records.map(\.fields) == [["x"], ["say \"hi\""], ["\""], [""]])
    }

    @Test func embeddedNewlinesKeepLaterLineNumbersRight() throws {
        let text = "id,note\n1,\"first\nsecond\nthird\"\n2,plain\n3,\"crlf\r\ninside\"\r\n4,end\n"
        let records = try read(text)
        #expect(
            records.map(\.fields) == [
                ["id", "note"], ["1", "first\nsecond\nthird"], ["2", "plain"],
                ["3", "crlf\r\ninside"], ["4", "end"],
            ])
        #expect(records.map(\.line) == [1, 2, 5, 6, 8])
    }

    @Test func crlfLineEnds() throws {
        let records = try read("a,b\r\n1,2\r\n3,\"4\"\r\n")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test func bareCRLineEnds() throws {
        let records = try read("a,b\r1,2\r")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(records.map(\.line) == [1, 2])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Date,Cost\n09/01/2023,1\n".utf8)
        let records = try CSVReader.records(in: bytes, file: "bom.csv")
        #expect(records[0].fields == ["Date", "Cost"])
        #expect(records[0].fields[0].unicodeScalars.count == 4)
    }

    @Test func trailingNewlineOrNone() throws {
        #expect(try read("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try read("a,b\n1,2\n").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try read("a,b\n1,\"2\"").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try read("").isEmpty)
        #expect(try read("\n\n").isEmpty)
    }

    @Test func emptyFields() throws {
        let records = try read("a,b,c\n,,\n1,,\n,\"\",3\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["", "", ""], ["1", "", ""], ["", "", "3"]])
        #expect(records[3].quoted == [false, true, false])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let records = try read("a\n\n1\r\n\r\n2\n")
        #expect(records.map(\.fields) == [["a"], ["1"], ["2"]])
        #expect(records.map(\.line) == [1, 3, 5])
    }

    @Test func utf8Text() throws {
        let records = try read("service,amount\n\"Zürich – £5,000\",1\n")
        #expect(records[1].fields[0] == "Zürich – £5,000")
    }

    @Test func nullLiteralOnlyWhenUnquoted() throws {
        let bytes = Array("NULL,\"NULL\",null,NULLX\n".utf8)
        var reader = CSVReader(bytes: bytes, file: "n.csv")
        var fields: [CSVField] = []
        #expect(try reader.nextRecord(into: &fields) == 1)
        #expect(fields.map(reader.isNullLiteral) == [true, false, false, false])
        #expect(fields.map { reader.string($0) } == ["NULL", "NULL", "null", "NULLX"])
        #expect(try reader.nextRecord(into: &fields) == nil)
    }

    @Test func longFieldsAcrossWordBoundaries() throws {
        // The scanner reads eight bytes at a time; put separators at every offset.
        for length in 0..<20 {
            let value = String(repeating: "x", count: length)
            let text = "\(value),\"\(value)\"\"\(value)\",\(value)\n\(value)"
            let records = try read(text)
            #expect(records.map(\.fields) == [[value, "\(value)\"\(value)", value], [value]].filter { $0 != [""] })
        }
    }

    @Test func unterminatedQuoteIsAProblemAtItsLine() throws {
        let found = try #require(problem("a,b\n1,2\n3,\"open\nmore\n4,5\n"))
        #expect(found.file == "t.csv")
        #expect(found.line == 3)
        #expect(found.message.contains("never closed"))
    }

    @Test func quoteInsideUnquotedFieldIsAProblem() throws {
        let found = try #require(problem("a,b\n1,2\n3,ab\"c\n"))
        #expect(found.line == 3)
        #expect(found.message.contains("field 2"))
        #expect(found.description.hasPrefix("t.csv:3: "))
    }

    @Test func textAfterClosingQuoteIsAProblem() throws {
        let found = try #require(problem("a,b\n\"x\ny\"z,2\n"))
        #expect(found.line == 3)  // the stray 'z' is on the second physical line of the record
        #expect(found.message.contains("after a closing quote"))
    }
}
