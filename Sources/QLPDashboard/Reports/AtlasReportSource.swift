import Foundation
import QLPAzure
import QLPCore
import QLPHTTP

/// Atlas credit use for a report, or why there is none.
public enum AtlasReportSource {
    public static func read(
        _ settings: AtlasAdminAPISettings?, plan: BudgetPlan, today: CivilDate, transport: any QLPHTTP.HTTPTransport,
        timeout: Duration
    ) async -> (use: AtlasCreditUse?, note: String?) {
        guard let settings else { return (nil, "not read: set mongodb_atlas.admin_api in the config") }
        let client = AtlasBillingClient(
            transport: transport, baseURL: settings.baseURL, orgID: settings.orgID,
            publicKey: settings.publicKey, privateKey: settings.privateKey, timeout: timeout)
        do {
            let closed = try await client.invoices()
            let pending = try await client.pendingInvoice()
            return (
                try AtlasCreditUse.compute(closed: closed.map(\.creditTotals), pending: pending.creditTotals, plan: plan, today: today), nil
            )
        } catch let error as AzureError {
            return (nil, "unavailable: \(error.summary) (\(error.description))")
        } catch {
            return (nil, "unavailable: \(error)")
        }
    }
}
