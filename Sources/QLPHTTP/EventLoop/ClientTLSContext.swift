import NIOSSL

/// The TLS client context every https upstream connection shares, made the
/// first time one is opened: building it loads the system's trust roots
/// (a few MB of memory), which a gateway whose upstreams are all plain http
/// (Ollama in the cluster, the benchmark) never needs. Read only when a
/// connection opens, not per request.
final class ClientTLSContext: Sendable {
    /// PEM files of certificate authorities trusted besides the system's (a private CA).
    private let additionalTrustRootFiles: [String]
    private let made = LockedState<Result<NIOSSLContext, any Error>?>(nil)

    init(additionalTrustRootFiles: [String] = []) {
        self.additionalTrustRootFiles = additionalTrustRootFiles
    }

    /// The context, or why it could not be made (no trust roots, an unreadable CA file, a broken OpenSSL configuration).
    func context() -> Result<NIOSSLContext, any Error> {
        made.withLock { made in
            if let made { return made }
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.additionalTrustRoots = additionalTrustRootFiles.map { .file($0) }
            let result = Result<NIOSSLContext, any Error> { try NIOSSLContext(configuration: configuration) }
            made = result
            return result
        }
    }
}
