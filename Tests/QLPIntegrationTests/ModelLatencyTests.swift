import Foundation
import Testing

@testable import QLPEmulator

/// The emulated models' timings: within each model's published range, GPT-4
/// slower than GPT-3.5, local models with a heavy tail, seeded, scalable and
/// off when asked. Pure draws, no clock.
@Suite struct ModelLatencyTests {
    func draws(_ model: EmulatedModel, latency: ModelLatency = .realistic, seed: UInt64 = 4, count: Int = 2000) -> [ModelTiming] {
        (0..<count).map { ModelTiming.draw(model.latency, latency: latency, noise: SeededNoise(seed: seed), model: model.name, serial: $0) }
    }

    func milliseconds(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    @Test func eachModelStaysInItsRangeAndGPT4IsSlowerThanGPT35() {
        let gpt4 = draws(.gpt4Turbo).map { milliseconds($0.firstToken) }
        let gpt35 = draws(.gpt35Turbo).map { milliseconds($0.firstToken) }
        #expect(gpt4.allSatisfy { (500...900).contains($0) })
        #expect(gpt35.allSatisfy { (200...400).contains($0) })
        #expect(median(gpt4) > median(gpt35))
        let gpt4Rates = draws(.gpt4Turbo).map { 1000 / milliseconds($0.perToken) }
        let gpt35Rates = draws(.gpt35Turbo).map { 1000 / milliseconds($0.perToken) }
        #expect(gpt4Rates.allSatisfy { (19.9...30.1).contains($0) })
        #expect(gpt35Rates.allSatisfy { (59.9...90.1).contains($0) })
        let embeddings = draws(.adaEmbeddings).map { milliseconds($0.firstToken) }
        #expect(embeddings.allSatisfy { (30...80).contains($0) })
        #expect(draws(.adaEmbeddings).allSatisfy { $0.perToken == .zero })
    }

    @Test func localModelsHaveAHeavyTail() {
        let llama = draws(.llama3).map { milliseconds($0.firstToken) }
        #expect(llama.allSatisfy { (150...1200).contains($0) })
        // Most requests near the quick end, a few far out.
        #expect(median(llama) < (150 + 1200) / 2 - 200)
        #expect(llama.filter { $0 > 1000 }.count > 10)
        let rates = draws(.llama3).map { 1000 / milliseconds($0.perToken) }
        #expect(rates.allSatisfy { (24.9...50.1).contains($0) })
    }

    @Test func timingsAreSeededScaledAndCanBeTurnedOff() {
        #expect(draws(.gpt4Turbo, count: 50) == draws(.gpt4Turbo, count: 50))
        #expect(draws(.gpt4Turbo, seed: 5, count: 50) != draws(.gpt4Turbo, count: 50))
        let full = draws(.gpt4Turbo, count: 50).map { milliseconds($0.firstToken) }
        let tenth = draws(.gpt4Turbo, latency: .scaled(0.1), count: 50).map { milliseconds($0.firstToken) }
        for (a, b) in zip(full, tenth) { #expect(abs(a / 10 - b) < 0.01) }
        #expect(draws(.llama3, latency: .off, count: 50).allSatisfy { $0 == .instant })
        #expect(ModelLatency(text: "off") == .off)
        #expect(ModelLatency(text: "realistic") == .realistic)
        #expect(ModelLatency(text: "0.25") == .scaled(0.25))
        #expect(ModelLatency(text: "fast") == nil)
        #expect(ModelLatency(text: "-1") == nil)
    }
}
