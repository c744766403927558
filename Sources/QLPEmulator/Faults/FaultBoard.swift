import Synchronization

/// The faults currently set, per endpoint. Read on every emulated request and
/// changed at run time by tests, the admin API or `qlp emulate --fault`.
public final class FaultBoard: Sendable {
    private let faults = Mutex<[EmulatedEndpoint: EndpointFault]>([:])

    public init(_ initial: [EmulatedEndpoint: EndpointFault] = [:]) {
        faults.withLock { $0 = initial.filter { !$0.value.isNone } }
    }

    public func set(_ fault: EndpointFault, for endpoint: EmulatedEndpoint) {
        faults.withLock { $0[endpoint] = fault.isNone ? nil : fault }
    }

    public func clear(_ endpoint: EmulatedEndpoint) { faults.withLock { $0[endpoint] = nil } }
    public func clearAll() { faults.withLock { $0.removeAll() } }

    public func current(_ endpoint: EmulatedEndpoint) -> EndpointFault {
        faults.withLock { $0[endpoint] } ?? .none
    }

    public var all: [EmulatedEndpoint: EndpointFault] { faults.withLock { $0 } }

    /// The fault for one request, counting down `remaining`.
    func take(_ endpoint: EmulatedEndpoint) -> EndpointFault {
        faults.withLock { table in
            guard var fault = table[endpoint] else { return .none }
            if let left = fault.remaining {
                if left <= 1 { table[endpoint] = nil } else { fault.remaining = left - 1; table[endpoint] = fault }
            }
            return fault
        }
    }
}
