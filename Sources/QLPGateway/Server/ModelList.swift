import Foundation
import Hummingbird
import QLPCore
import QLPRouting

/// GET /v1/models in OpenAI's list shape: every route, then every target and
/// the model names it answers to, each once.
enum ModelList {
    static func ids(for table: RouteTable) -> [(id: String, ownedBy: String)] {
        var seen: Set<String> = []
        var ids: [(String, String)] = []
        for route in table.routes where seen.insert(route.name).inserted { ids.append((route.name, "qlp-route")) }
        for target in table.targets where !table.isDrained(target.name) {
            for name in [target.name] + target.modelNames where seen.insert(name).inserted {
                ids.append((name, "qlp-target:\(target.name)"))
            }
        }
        return ids
    }

    static func response(for table: RouteTable) -> Response {
        let data = ids(for: table).map { entry in
            "{\"id\":\(JSONText.quoted(entry.id)),\"object\":\"model\",\"created\":0,\"owned_by\":\(JSONText.quoted(entry.ownedBy))}"
        }
        return GatewayResponder.json("{\"object\":\"list\",\"data\":[\(data.joined(separator: ","))]}", status: .ok)
    }
}
