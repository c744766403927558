import NIOCore
import QLPHTTP
import Testing

@testable import QLPGateway

/// Whether a 2xx answer is one a client can use, judged on its Content-Type
/// (in any case, with parameters) and its framing.
@Suite struct AnswerShapeTests {
    private static let object = ByteBuffer(string: "{\"id\":\"x\"}")

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON", "APPLICATION/VND.API+JSON"])
    func aJSONAnswerPasses(contentType: String) {
        #expect(AnswerShape.problem(in: Self.object, contentType: contentType) == nil)
    }

    @Test(arguments: ["text/html", "text/plain; charset=utf-8", "application/jso", ""])
    func anAnswerOfAnotherTypeIsTheTargetsFailure(contentType: String) {
        #expect(AnswerShape.problem(in: Self.object, contentType: contentType) == "answered 200 with Content-Type \(contentType), not JSON")
    }

    @Test(arguments: ["text/event-stream", "Text/Event-Stream; charset=utf-8", "application/x-ndjson", "application/json"])
    func aStreamOfEventsOrJSONLinesPasses(contentType: String) {
        #expect(AnswerShape.streamProblem(first: ByteBuffer(string: "data: {}\n\n"), contentType: contentType) == nil)
    }

    @Test(arguments: ["text/html", "text/event", "event-strea"])
    func aStreamOfAnotherTypeIsTheTargetsFailure(contentType: String) {
        #expect(
            AnswerShape.streamProblem(first: ByteBuffer(string: "data: {}\n\n"), contentType: contentType)
                == "answered 200 with Content-Type \(contentType), not a stream")
    }

    @Test func aMediaTypeIsMatchedIgnoringCaseOnlyForLetters() {
        #expect(ASCIICase.contains("x-EVENT-STREAM", lowercaseWord: "event-stream"))
        // A carriage return lower-cased by setting bit 5 would pass for "-"; it must not.
        #expect(!ASCIICase.contains("event\rstream", lowercaseWord: "event-stream"))
        #expect(!ASCIICase.contains("jso", lowercaseWord: "json"))
    }
}
