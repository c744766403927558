import Foundation
import Synchronization

/// What the emulated model servers remember between requests: how many
/// requests each model has had (the seed for its next timing) and, for
/// Ollama, which models are loaded in memory and until when.
final class ModelActivity: Sendable {
    /// Ollama's default keep_alive: a model stays loaded this long after its last request.
    static let keepAlive: TimeInterval = 300

    private struct State {
        var serials: [String: Int] = [:]
        var loadedUntil: [String: Date] = [:]
    }

    private let state = Mutex(State())

    init(loaded: [String], now: Date) {
        state.withLock { s in for name in loaded { s.loadedUntil[name] = now.addingTimeInterval(Self.keepAlive) } }
    }

    /// The next request number for `model`, from 0.
    func nextSerial(_ model: String) -> Int {
        state.withLock { s in
            defer { s.serials[model, default: 0] += 1 }
            return s.serials[model, default: 0]
        }
    }

    /// Marks an Ollama model used now.
    /// - Returns: true when it had to be loaded first (a cold start).
    func use(_ model: String, now: Date) -> Bool {
        state.withLock { s in
            let wasLoaded = (s.loadedUntil[model] ?? .distantPast) > now
            s.loadedUntil[model] = now.addingTimeInterval(Self.keepAlive)
            return !wasLoaded
        }
    }

    /// Loaded models and when each will be unloaded.
    func loaded(now: Date) -> [(model: String, until: Date)] {
        state.withLock { s in s.loadedUntil.filter { $0.value > now }.map { ($0.key, $0.value) }.sorted { $0.model < $1.model } }
    }
}
