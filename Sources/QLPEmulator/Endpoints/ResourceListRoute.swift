import Foundation
import QLPCore

/// GET /subscriptions/{sub}/resourceGroups/{rg}/resources — Resources - List
/// By Resource Group (api-version 2021-04-01): the world's resources in that
/// group as GenericResourceExpanded entries ({id, name, type, location, tags}),
/// `pageSize` a page with a nextLink ($skiptoken) to the next, as ARM pages.
/// A group the world has no resources in is ResourceGroupNotFound, as ARM
/// answers for a group that does not exist.
struct ResourceListRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.resources
    let authentication = RouteAuthentication.bearer
    /// Small enough that the emulator's own resources take two pages, so the
    /// client's nextLink handling is exercised on every demo start.
    static let pageSize = 6

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .get && r.lower.count == 5 && r.lower[0] == "subscriptions" && r.lower[2] == "resourcegroups"
            && r.lower[4] == "resources"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        if let refused = ARMChecks.validate(r, context: context) { return refused }
        let group = r.segments[3]
        let subscription = context.configuration.subscriptionID
        let resources = context.configuration.resources.filter { $0.resourceGroup.caseInsensitiveCompare(group) == .orderedSame }
        guard !resources.isEmpty else {
            return EmulatorReply.armError(
                status: 404, code: "ResourceGroupNotFound", message: "Resource group '\(group)' could not be found.")
        }
        var start = 0
        if let token = r.query["$skiptoken"] ?? r.query["%24skiptoken"] {
            guard let n = Int(token), n >= 0, n < resources.count else {
                return EmulatorReply.armError(status: 400, code: "InvalidSkipToken", message: "The $skiptoken '\(token)' is not valid.")
            }
            start = n
        }
        let page = resources[start..<min(resources.count, start + Self.pageSize)]
        var members: [(String, JSONText)] = [
            (
                "value",
                .array(
                    page.map { resource in
                        .object([
                            ("id", .string(resource.id(subscriptionID: subscription))),
                            ("name", .string(resource.name)),
                            ("type", .string(resource.type)),
                            ("location", .string(resource.region)),
                            ("tags", .object([("environment", .string("production"))])),
                        ])
                    })
            )
        ]
        if page.endIndex < resources.count {
            members.append(
                (
                    "nextLink",
                    .string(
                        "\(context.state.baseURL)/subscriptions/\(subscription)/resourceGroups/\(group)/resources"
                            + "?api-version=\(r.apiVersion ?? "2021-04-01")&%24skiptoken=\(page.endIndex)")
                ))
        }
        return EmulatorReply.json(.object(members))
    }
}
