/// What a rediss:// connection trusts beyond the system's roots. The URL stays what config holds;
/// an extra CA is a deployment (or test) matter.
public struct RedisTLSSettings: Sendable, Equatable {
    /// A PEM file of CA certificates trusted in addition to the system's roots.
    public var caFile: String?

    public init(caFile: String? = nil) { self.caFile = caFile }
}
