import Foundation
import QLPCore
import Testing

@testable import QLPGateway

/// Issue 14, finding 10: token counts an upstream reports are outside
/// numbers. Absurd ones are refused naming the field; running totals stop at
/// the top rather than trapping the gateway.
@Suite struct OutsideTokenCountTests {
    @Test func finding10_tokenTotalsOfIntMaxTwiceSaturateInsteadOfTrapping() {
        let board = TargetHealthBoard(breaker: TargetHealthBoardTests.settings, clock: { 1000 })
        for _ in 0..<2 {
            board.recordAnswer("gpt4", milliseconds: 10, usage: TokenCounts(input: .max, output: .max), cost: 0)
        }
        let state = board.state(of: "gpt4")
        #expect(state.inputTokens == .max && state.outputTokens == .max)
        #expect(state.requests == 2)
    }

    @Test func finding10_aUsageCountBeyondAnyRealFigureIsRefusedNamingTheField() throws {
        let body = Array(#"{"choices":[],"usage":{"prompt_tokens":9223372036854775807,"completion_tokens":3}}"#.utf8)
        #expect(throws: ImplausibleCount(field: "usage.prompt_tokens", value: "9223372036854775807")) {
            try TokenUsage.find(in: body)
        }
        let negative = Array(#"{"usage":{"prompt_tokens":5,"completion_tokens":-1}}"#.utf8)
        #expect(throws: ImplausibleCount(field: "usage.completion_tokens", value: "-1")) { try TokenUsage.find(in: negative) }
        let fraction = Array(#"{"usage":{"prompt_tokens":1e300,"completion_tokens":2}}"#.utf8)
        #expect(throws: ImplausibleCount.self) { try TokenUsage.find(in: fraction) }
        let real = Array(#"{"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}}"#.utf8)
        #expect(try TokenUsage.find(in: real) == TokenCounts(input: 12, output: 30))
    }

    @Test func finding10_aProbeReadingAnAbsurdUsageSaysSo() {
        let stream = ProbeReading.stream(
            Array(
                ("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],"
                    + "\"usage\":{\"prompt_tokens\":9223372036854775807,\"completion_tokens\":1}}\n\ndata: [DONE]\n\n").utf8))
        #expect(stream.problem?.contains("usage.prompt_tokens") == true)
        let embeddings = ProbeReading.embeddings(Array(#"{"data":[{"embedding":[0.1]}],"usage":{"prompt_tokens":-4}}"#.utf8))
        #expect(!embeddings.complete)
        #expect(embeddings.problem?.contains("usage.prompt_tokens is -4") == true)
    }
}
