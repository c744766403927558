import Foundation
import QLPAzure
import QLPConfig
import QLPCore
import QLPGateway
import QLPReport

/// The parsers that take bytes from outside qlp, each as one function of an
/// input, so that libFuzzer (`scripts/fuzz TARGET SECONDS`) and the corpus
/// replay test (`FuzzCorpusReplayTests`) drive the very same code.
///
/// A thrown error is a correct answer to bad input; a trap, an overflow, an
/// out-of-bounds read or a hang is the bug being looked for.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A config file: YAML syntax, every section's parser, `${VAR}` expansion.
    case config
    /// A cost export: FOCUS or Azure actual/amortized CSV, both bases.
    case costCSV = "cost-csv"
    /// Azure JSON bodies: cost query, budgets, metrics, definitions, error bodies; Atlas invoices.
    case azureJSON = "azure-json"
    /// Upstream answers the gateway reads: SSE streams and bodies for usage, probe readings.
    case sse
    /// Client request bodies the gateway reads (chat completions and embeddings) before forwarding them.
    case clientBody = "client-body"
    /// Keys: client key digests and bearer headers, keyvault:// references.
    case keys
    /// Admin API request bodies and the X-QLP-Actor header.
    case adminBody = "admin-body"

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .config: Self.config(bytes)
        case .costCSV: Self.costCSV(bytes)
        case .azureJSON: Self.azureJSON(bytes)
        case .sse: GatewayInputParsing.readUpstream(bytes)
        case .clientBody: GatewayInputParsing.readClient(bytes)
        case .keys: Self.keys(bytes)
        case .adminBody: GatewayInputParsing.readAdmin(bytes)
        }
    }

    private static func config(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        // Variables both set and unset, so substitution's every branch runs.
        let environment = ["AZURE_CLIENT_SECRET": "s3cret", "QLP_ADMIN_TOKEN": "t", "EMPTY": ""]
        for requireAzure in [true, false] {
            _ = try? ConfigParser(environment: environment, requireAzure: requireAzure).parse(yaml: text, file: "fuzz.yaml")
        }
    }

    private static func costCSV(_ bytes: [UInt8]) {
        for basis in CostBasis.allCases {
            for skip in [false, true] {
                _ = try? CostFileImporter.parse(bytes, file: "fuzz.csv", basis: basis, skipBadRows: skip)
            }
        }
    }

    private static func azureJSON(_ bytes: [UInt8]) {
        _ = try? AzureWireDecoding.costQuery(bytes)
        _ = try? AzureWireDecoding.budget(bytes)
        _ = try? AzureWireDecoding.budgetList(bytes)
        _ = AzureWireDecoding.armError(bytes)
        _ = try? AzureWireDecoding.metrics(bytes)
        _ = try? AzureWireDecoding.metricBatch(bytes)
        _ = try? AzureWireDecoding.metricDefinitions(bytes)
        // Atlas invoices: amounts in cents that the credit computation sums and takes by size.
        _ = try? JSONDecoder().decode(AtlasInvoice.self, from: Data(bytes))
    }

    private static func keys(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let utc = TimeZone(identifier: "UTC")!
        if let keys = try? KeyGate(configDigests: lines, timeZone: utc) {
            _ = keys.identify(authorization: text, now: Date())
            _ = keys.identify(authorization: lines.last, now: Date())
        }
        _ = try? KeyGate(configDigests: [ClientKeys.hexDigest(of: text)], timeZone: utc).identify(
            authorization: "Bearer " + text, now: Date())
        for line in lines where KeyVaultReference.isReference(line) {
            _ = try? KeyVaultReference.parse(line)
        }
        _ = try? KeyVaultReference.parse(text)
    }
}
