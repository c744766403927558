import Testing

@testable import QLPRouting

@Suite struct LatencyEstimateTests {
    @Test func firstSampleSetsItThenEachSampleMovesItByAlpha() {
        var estimate = LatencyEstimate(alpha: 0.5)
        #expect(estimate.milliseconds == nil)
        #expect(estimate.samples == 0)
        estimate.record(milliseconds: 100)
        #expect(estimate.milliseconds == 100)
        estimate.record(milliseconds: 200)
        #expect(estimate.milliseconds == 150)
        estimate.record(milliseconds: 50)
        #expect(estimate.milliseconds == 100)
        #expect(estimate.samples == 3)
    }

    @Test func ignoresImpossibleSamples() {
        var estimate = LatencyEstimate()
        estimate.record(milliseconds: -5)
        estimate.record(milliseconds: .nan)
        estimate.record(milliseconds: .infinity)
        #expect(estimate.milliseconds == nil)
        #expect(estimate.samples == 0)
    }

    @Test func followsASlowdownWithinAFewSamples() {
        var estimate = LatencyEstimate()
        for _ in 0..<50 { estimate.record(milliseconds: 100) }
        for _ in 0..<8 { estimate.record(milliseconds: 1_000) }
        #expect(try! #require(estimate.milliseconds) > 900)
    }
}
