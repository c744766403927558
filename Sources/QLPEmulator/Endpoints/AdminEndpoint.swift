import Foundation
import Hummingbird
import QLPCore

/// /_emulator/...: the knobs, over HTTP, for a demo or a test in another process.
///
///     GET    /_emulator/health
///     GET    /_emulator/requests                   requests served per endpoint, peak requests and connections,
///                                                  per model ("models": {"gpt4-deployment": 3, "llama3:8b": 1})
///                                                  and per User-Agent ("user_agents": {"qlp/0.1.0": 12})
///     GET    /_emulator/faults                     all faults as JSON
///     PUT    /_emulator/faults/{endpoint}          body: {"status":500,"latency_ms":0,"retry_after":30,
///                                                         "malformed":false,"hang":false,"remaining":null}
///     DELETE /_emulator/faults/{endpoint}          clear one
///     DELETE /_emulator/faults                     clear all
///     PUT    /_emulator/faults/model/{name}        a fault for one deployment or Ollama model only
///     DELETE /_emulator/faults/model/{name}
///     GET    /_emulator/names                      names reported in place of the emulator's own, as JSON
///     PUT    /_emulator/names                      body: {"Event Grid": "Event\u001b[2JGrid"}: report each key's
///                                                  service or budget under its value (JSON escapes carry controls)
///     DELETE /_emulator/names                      report every name as the emulator's own again
struct AdminEndpoint: Sendable {
    let faults: FaultBoard
    var names = ReportedNames()
    let statistics: EmulatorStatistics

    func respond(method: HTTPRequest.Method, segments: [String], body: [UInt8]) -> EmulatedResponse {
        switch (method, segments.first, segments.count) {
        case (.get, "health", 1):
            return EmulatorReply.json(.object([("status", .string("ok"))]))
        case (.get, "requests", 1):
            // Requests served per endpoint, for a demo or another process's test.
            let counts = EmulatedEndpoint.allCases.map { ($0.rawValue, JSONText.number(statistics.requests(to: $0))) }
            return EmulatorReply.json(
                .object(
                    counts + [
                        ("max_concurrent", .number(statistics.maxConcurrentRequests)),
                        ("max_connections", .number(statistics.maxConcurrentConnections)),
                        ("connections_opened", .number(statistics.connectionsOpened)),
                        (
                            "models",
                            .object(
                                statistics.requestsPerModel.sorted { $0.key < $1.key }
                                    .map { ($0.key, .number($0.value)) })
                        ),
                        (
                            "user_agents",
                            .object(
                                statistics.userAgents.sorted { $0.key < $1.key }
                                    .map { ($0.key, .number($0.value)) })
                        ),
                    ]))
        case (_, "names", 1):
            return renames(method: method, body: body)
        case (.get, "faults", 1):
            return EmulatorReply.text(describe(), status: 200, contentType: "application/json")
        case (_, "faults", 3) where segments[1] == "model":
            return modelFault(method: method, model: segments[2], body: body)
        case (.delete, "faults", 1):
            faults.clearAll()
            return EmulatorReply.empty(status: 204)
        case (_, "faults", 2):
            guard let endpoint = EmulatedEndpoint(rawValue: segments[1]) else {
                return EmulatorReply.armError(
                    status: 404, code: "NotFound",
                    message:
                        "No emulated endpoint '\(segments[1])'; use one of \(EmulatedEndpoint.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            switch method {
            case .delete:
                faults.clear(endpoint)
                return EmulatorReply.empty(status: 204)
            case .put, .post:
                do {
                    let fault = try JSONDecoder().decode(EndpointFault.self, from: Data(body))
                    faults.set(fault, for: endpoint)
                    return EmulatorReply.text(describe(), status: 200, contentType: "application/json")
                } catch {
                    return EmulatorReply.armError(status: 400, code: "BadRequest", message: "Fault body is not valid: \(error)")
                }
            default:
                return EmulatorReply.armError(status: 405, code: "MethodNotAllowed", message: "Use PUT or DELETE.")
            }
        default:
            return EmulatorReply.armError(status: 404, code: "NotFound", message: "Unknown emulator admin path.")
        }
    }

    private func modelFault(method: HTTPRequest.Method, model: String, body: [UInt8]) -> EmulatedResponse {
        switch method {
        case .delete:
            faults.clear(model: model)
            return EmulatorReply.empty(status: 204)
        case .put, .post:
            do {
                faults.set(try JSONDecoder().decode(EndpointFault.self, from: Data(body)), forModel: model)
                return EmulatorReply.text(describe(), status: 200, contentType: "application/json")
            } catch {
                return EmulatorReply.armError(status: 400, code: "BadRequest", message: "Fault body is not valid: \(error)")
            }
        default:
            return EmulatorReply.armError(status: 405, code: "MethodNotAllowed", message: "Use PUT or DELETE.")
        }
    }

    private func renames(method: HTTPRequest.Method, body: [UInt8]) -> EmulatedResponse {
        switch method {
        case .get:
            return EmulatorReply.text(describeNames(), status: 200, contentType: "application/json")
        case .put, .post:
            guard let renames = try? JSONDecoder().decode([String: String].self, from: Data(body)), !renames.isEmpty,
                renames.allSatisfy({ !$0.key.isEmpty && !$0.value.isEmpty })
            else {
                return EmulatorReply.armError(
                    status: 400, code: "BadRequest",
                    message:
                        "Names body is not valid: expected a JSON object of own name to reported name, both non-empty, e.g. {\"Event Grid\": \"Grid\"}."
                )
            }
            for (old, new) in renames { names.rename(old, to: new) }
            return EmulatorReply.text(describeNames(), status: 200, contentType: "application/json")
        case .delete:
            names.restoreAll()
            return EmulatorReply.empty(status: 204)
        default:
            return EmulatorReply.armError(status: 405, code: "MethodNotAllowed", message: "Use GET, PUT or DELETE.")
        }
    }

    private func describeNames() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(names.all), as: UTF8.self)) ?? "{}"
    }

    /// Endpoint faults by endpoint name, model faults as "model:{name}".
    private func describe() -> String { Self.describe(faults.all, models: faults.allModels) }

    static func describe(_ table: [EmulatedEndpoint: EndpointFault], models: [String: EndpointFault] = [:]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var named = Dictionary(uniqueKeysWithValues: table.map { ($0.key.rawValue, $0.value) })
        for (model, fault) in models { named["model:" + model] = fault }
        return (try? String(decoding: encoder.encode(named), as: UTF8.self)) ?? "{}"
    }
}
