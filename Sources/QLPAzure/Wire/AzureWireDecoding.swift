import Foundation

/// Public entry points for decoding Azure bodies read from elsewhere (files,
/// fixtures, `qlp report --from-file` later).
public enum AzureWireDecoding {
    public static func costQuery(_ body: [UInt8]) throws -> CostQueryResult {
        let response = try JSONDecoder().decode(CostQueryResponse.self, from: body)
        return CostQueryResult(columns: response.properties.columns, rows: response.properties.rows, pages: 1)
    }

    public static func budget(_ body: [UInt8]) throws -> AzureBudget {
        try JSONDecoder().decode(AzureBudget.self, from: body)
    }

    public static func budgetList(_ body: [UInt8]) throws -> AzureBudgetList {
        try JSONDecoder().decode(AzureBudgetList.self, from: body)
    }

    /// ARM's {"error": {"code", "message"}}; nil if the body is not one.
    public static func armError(_ body: [UInt8]) -> (code: String?, message: String?)? {
        ARMErrorBody.decode(body).map { ($0.code, $0.message) }
    }
}
