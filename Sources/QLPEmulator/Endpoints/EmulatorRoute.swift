import Foundation
import Hummingbird

/// A request as the emulated APIs see it: path segments (and lower-cased
/// copies, since Azure matches paths without regard to case), query, headers
/// and the whole body.
struct EmulatedRequest: Sendable {
    let method: HTTPRequest.Method
    let segments: [String]
    let lower: [String]
    let query: [String: String]
    /// Header names lower-cased.
    let headers: [String: String]
    let body: [UInt8]

    var apiVersion: String? { query["api-version"] }

    /// The index of "providers" in an ARM path, e.g. subscriptions/{id}/providers/Microsoft.X/...
    var providersIndex: Int? { lower.firstIndex(of: "providers") }

    /// The ARM scope before /providers/ ("subscriptions/{id}" or a resource id).
    var scope: String? { providersIndex.map { segments[0..<$0].joined(separator: "/") } }
}

/// What routes share: who the emulator is, the names it reports, its tokens, its base URL.
struct RouteContext: Sendable {
    let configuration: EmulatorConfiguration
    let names: ReportedNames
    let tokens: IssuedTokens
    let state: EmulatorState
    let models: ModelActivity

    var now: Date { configuration.clock() }

    /// Waits as a model would, in short steps so that stopping the emulator is not held up.
    func pause(_ duration: Duration) async {
        let end = ContinuousClock.now + duration
        while !state.isStopping {
            let left = end - ContinuousClock.now
            guard left > .zero else { return }
            try? await Task.sleep(for: min(left, .milliseconds(100)))
        }
    }
}

/// How a route checks the caller.
enum RouteAuthentication: Sendable {
    case none
    /// A bearer token this emulator issued, unexpired (ARM and data planes).
    case bearer
}

/// One emulated API operation: which requests it takes and how it answers.
/// The responder applies the endpoint's faults and the authentication around it.
protocol EmulatorRoute: Sendable {
    var endpoint: EmulatedEndpoint { get }
    var authentication: RouteAuthentication { get }
    func matches(_ request: EmulatedRequest) -> Bool
    func respond(to request: EmulatedRequest, context: RouteContext) async -> EmulatedResponse
    /// The deployment or model a request is for, when it names one the
    /// emulator serves: counted per model, and faults can be set per model.
    func model(of request: EmulatedRequest, configuration: EmulatorConfiguration) -> String?
    /// The error an injected fault answers with, in this API's own shape; nil for ARM's.
    func faultReply(status: Int, headers: [(String, String)], request: EmulatedRequest) -> EmulatedResponse?
}

extension EmulatorRoute {
    func model(of request: EmulatedRequest, configuration: EmulatorConfiguration) -> String? { nil }
    func faultReply(status: Int, headers: [(String, String)], request: EmulatedRequest) -> EmulatedResponse? { nil }
}

/// Checks shared by the Resource Manager routes: api-version present and the
/// subscription the emulator pretends to be.
enum ARMChecks {
    static func validate(_ request: EmulatedRequest, context: RouteContext) -> EmulatedResponse? {
        guard request.apiVersion != nil else {
            return EmulatorReply.armError(
                status: 400, code: "MissingApiVersionParameter",
                message: "The api-version query parameter (?api-version=) is required for all requests.")
        }
        if request.lower.first == "subscriptions" {
            let subscription = request.segments.count > 1 ? request.segments[1] : ""
            guard subscription == context.configuration.subscriptionID else {
                return EmulatorReply.armError(
                    status: 404, code: "SubscriptionNotFound",
                    message: "The subscription '\(subscription)' could not be found.")
            }
        }
        return nil
    }
}
