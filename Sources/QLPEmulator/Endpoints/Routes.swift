import Foundation

/// POST /{tenant}/oauth2/v2.0/token
struct TokenRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.token
    let authentication = RouteAuthentication.none

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .post && r.lower.count == 4 && r.lower[1] == "oauth2" && r.lower[2] == "v2.0" && r.lower[3] == "token"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        TokenEndpoint(configuration: context.configuration, tokens: context.tokens)
            .respond(
                tenant: r.segments[0], form: TokenEndpoint.parseForm(String(decoding: r.body, as: UTF8.self)),
                audience: "\(context.state.baseURL)/\(r.segments.joined(separator: "/"))")
    }
}

/// POST {scope}/providers/Microsoft.CostManagement/query
struct CostQueryRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.costQuery
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        guard r.method == .post, r.lower.first == "subscriptions", let p = r.providersIndex else { return false }
        return r.lower.count == p + 3 && r.lower[p + 1] == "microsoft.costmanagement" && r.lower[p + 2] == "query"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        if let refused = ARMChecks.validate(r, context: context) { return refused }
        return CostQueryEndpoint(configuration: context.configuration, names: context.names).respond(
            scope: r.scope ?? "", body: r.body, skipToken: r.query["$skiptoken"], top: r.query["$top"].flatMap { Int($0) },
            apiVersion: r.apiVersion ?? "", baseURL: context.state.baseURL)
    }
}

/// Every route the emulator serves, in match order.
enum EmulatorRoutes {
    static let all: [any EmulatorRoute] = [TokenRoute(), CostQueryRoute()] + observability + budgetsAndForecast + atlas + models
}
