import QLPCore
import Synchronization

/// Tries token sources in order, as DefaultAzureCredential does: a source that
/// is not available here (no variables, no managed identity, no az) passes to
/// the next; one that is available but refuses (wrong secret) stops the chain
/// with its error, so a misconfiguration is never hidden by a fallback.
///
/// Once a source has worked, it is used first for every later token (as the
/// SDKs do): off Azure, each new scope would otherwise wait out the managed
/// identity probe again before reaching the Azure CLI.
public final class ChainedCredential: TokenSource {
    public let sources: [(name: String, source: any TokenSource)]
    private let chosen = Mutex<Int?>(nil)

    public init(_ sources: [(name: String, source: any TokenSource)]) {
        self.sources = sources
    }

    /// The name of the source that last worked, if one has.
    public var workingSource: String? { chosen.withLock { $0 }.map { sources[$0].name } }

    public func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        var tried: [String] = []
        let first = chosen.withLock { $0 }
        let order = first.map { [$0] + sources.indices.filter { $0 != first } } ?? Array(sources.indices)
        for index in order {
            let (name, source) = sources[index]
            do {
                let token = try await source.fetchToken(scope: scope)
                chosen.withLock { $0 = index }
                return token
            } catch {
                guard case .credentialUnavailable(let detail) = error else { throw error }
                tried.append("\(name): \(detail)")
            }
        }
        throw .credentialUnavailable(detail: "no credential worked: " + tried.joined(separator: "; "))
    }
}
