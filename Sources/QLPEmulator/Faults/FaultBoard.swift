import Synchronization

/// The faults currently set, per endpoint. Read on every emulated request and
/// changed at run time by tests, the admin API or `qlp emulate --fault`.
///
/// A model API fault can also be set for one deployment or model alone
/// (`set(_:forModel:)`), so that one target of a gateway fails while the
/// others on the same emulator answer; it takes precedence over the endpoint's.
public final class FaultBoard: Sendable {
    private let faults = Mutex<[EmulatedEndpoint: EndpointFault]>([:])
    private let modelFaults = Mutex<[String: EndpointFault]>([:])

    public init(_ initial: [EmulatedEndpoint: EndpointFault] = [:]) {
        faults.withLock { $0 = initial.filter { !$0.value.isNone } }
    }

    public func set(_ fault: EndpointFault, for endpoint: EmulatedEndpoint) {
        faults.withLock { $0[endpoint] = fault.isNone ? nil : fault }
    }

    public func clear(_ endpoint: EmulatedEndpoint) { faults.withLock { $0[endpoint] = nil } }
    public func clearAll() {
        faults.withLock { $0.removeAll() }
        modelFaults.withLock { $0.removeAll() }
    }

    /// A fault for one Azure OpenAI deployment ("gpt4-deployment") or Ollama model ("llama3:8b").
    public func set(_ fault: EndpointFault, forModel model: String) {
        modelFaults.withLock { $0[model] = fault.isNone ? nil : fault }
    }

    public func clear(model: String) { _ = modelFaults.withLock { $0.removeValue(forKey: model) } }

    public var allModels: [String: EndpointFault] { modelFaults.withLock { $0 } }

    /// The fault that applies to a request for `model` at `endpoint`.
    public func current(_ endpoint: EmulatedEndpoint, model: String?) -> EndpointFault {
        if let model, let fault = modelFaults.withLock({ $0[model] }) { return fault }
        return current(endpoint)
    }

    public func current(_ endpoint: EmulatedEndpoint) -> EndpointFault {
        faults.withLock { $0[endpoint] } ?? .none
    }

    public var all: [EmulatedEndpoint: EndpointFault] { faults.withLock { $0 } }

    /// The fault for one request, counting down `remaining`.
    func take(_ endpoint: EmulatedEndpoint, model: String? = nil) -> EndpointFault {
        if let model, let fault = modelFaults.withLock({ Self.countDown(&$0, model) }) { return fault }
        return faults.withLock { table in
            guard var fault = table[endpoint] else { return .none }
            if let left = fault.remaining {
                if left <= 1 {
                    table[endpoint] = nil
                } else {
                    fault.remaining = left - 1
                    table[endpoint] = fault
                }
            }
            return fault
        }
    }

    private static func countDown(_ table: inout [String: EndpointFault], _ model: String) -> EndpointFault? {
        guard var fault = table[model] else { return nil }
        if let left = fault.remaining {
            if left <= 1 {
                table[model] = nil
            } else {
                fault.remaining = left - 1
                table[model] = fault
            }
        }
        return fault
    }
}
