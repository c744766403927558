import Foundation
import QLPCore

extension MonitorMetricsClient {
    /// More pages than any resource group has (ARM pages by 1,000): a listing
    /// that keeps answering with nextLinks cannot loop us forever.
    static let maxResourcePages = 50

    /// Every resource in a resource group (Resources - List By Resource Group,
    /// GET /subscriptions/{sub}/resourceGroups/{rg}/resources), following
    /// nextLink while it stays on Resource Manager (the bearer token goes with it).
    public func resources(
        subscriptionID: String, resourceGroup: String,
        apiVersion: String = "2021-04-01"
    ) async throws(AzureError) -> [ListedResource] {
        var url =
            "\(management)/subscriptions/\(FormEncoding.escape(subscriptionID))/resourceGroups/\(FormEncoding.escape(resourceGroup))"
            + "/resources?\(BearerJSONCall.query([("api-version", apiVersion)]))"
        var listed: [ListedResource] = []
        for page in 1...Self.maxResourcePages {
            let answer = try await arm.get(ResourceListPage.self, url: url)
            listed += answer.value
            guard let next = answer.nextLink, !next.isEmpty else { return listed }
            guard next.lowercased().hasPrefix(management.lowercased() + "/") else {
                throw .paging(
                    service: Self.service, detail: "the resource listing's nextLink points outside \(management); not following it")
            }
            guard page < Self.maxResourcePages else { break }
            url = next
        }
        throw .paging(service: Self.service, detail: "more than \(Self.maxResourcePages) pages of resources in \(resourceGroup)")
    }
}
