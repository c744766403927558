import QLPHTTP
import Testing

/// The two upstream clients the gateway can use, for tests that hold both to one contract.
enum TransportUnderTest: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case libcurl
    case eventLoop

    var testDescription: String { rawValue }

    func make(maxConnectionsPerHost: Int = 16) -> any UpstreamHTTPTransport {
        switch self {
        case .libcurl: CurlTransport(maxConcurrentTransfers: 16, maxConnectionsPerHost: maxConnectionsPerHost)
        case .eventLoop: EventLoopHTTPTransport(maxConnectionsPerHost: maxConnectionsPerHost)
        }
    }
}
