import CCurl
import Foundation

/// Checks that an HTTP(S) or SMTP address can be reached without sending it
/// a request or a mail: name lookup, TCP connect and, for https and smtps, the
/// TLS handshake with certificate verification (libcurl's CURLOPT_CONNECT_ONLY;
/// for SMTP also the server's greeting). For `qlp
/// doctor` and `qlp alerts test --no-send`, where posting a message would
/// ring someone's phone.
///
/// One blocking easy transfer on a thread of its own: probes are rare and
/// short, and the multi loop stays for real traffic.
public struct ReachabilityProbe: Sendable {
    public init() {}

    /// Resolves, connects (and handshakes) to `url`'s host, then hangs up.
    ///
    /// - Returns: nil when the connection was made, else why not (the
    ///   endpoint in the error is `scheme://host[:port]/path`; callers that
    ///   hold secret paths show only `summary`).
    public func check(url: String, connectTimeout: Duration = .seconds(10)) async -> HTTPTransportError? {
        let lower = url.lowercased()
        let protocols: String
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            protocols = "http,https"
        } else if lower.hasPrefix("smtps://") || lower.hasPrefix("smtp://") {
            // For SMTP, libcurl's connection set-up reads the server's greeting and says EHLO: a live mail server, not just an open port.
            protocols = "smtp,smtps"
        } else {
            return .invalidRequest(detail: "\(RedactedEndpoint.of(url)): expected an http://, https://, smtp:// or smtps:// URL")
        }
        guard CurlGlobalInit.ensure() else {
            return .invalidRequest(detail: "libcurl could not be initialised")
        }
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Self.connect(url: url, protocols: protocols, connectTimeout: connectTimeout))
            }
            thread.name = "qlp.reachability"
            thread.start()
        }
    }

    private static func connect(url: String, protocols: String, connectTimeout: Duration) -> HTTPTransportError? {
        guard let easy = CurlEasyHandle() else { return .invalidRequest(detail: "cannot create a libcurl handle") }
        let endpoint = RedactedEndpoint.of(url)
        let milliseconds = CurlOptions.milliseconds(connectTimeout)
        var code = url.withCString { qlp_easy_setopt_string(easy.raw, CURLOPT_URL, $0) }
        for (option, value) in [
            (CURLOPT_CONNECT_ONLY, 1), (CURLOPT_CONNECTTIMEOUT_MS, milliseconds),
            (CURLOPT_TIMEOUT_MS, milliseconds), (CURLOPT_NOSIGNAL, 1),
        ] where code == CURLE_OK {
            code = qlp_easy_setopt_long(easy.raw, option, value)
        }
        if code == CURLE_OK { code = qlp_easy_setopt_pointer(easy.raw, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(easy.errorBuffer)) }
        // As the transports: nothing but the URL's own family (http and https, or smtp and smtps).
        if code == CURLE_OK { code = protocols.withCString { qlp_easy_setopt_string(easy.raw, CURLOPT_PROTOCOLS_STR, $0) } }
        guard code == CURLE_OK else {
            return .invalidRequest(detail: "\(endpoint): \(CurlErrorMapping.detail(code, easy.errorText, url: url))")
        }
        let result = curl_easy_perform(easy.raw)
        switch result {
        case CURLE_OK:
            return nil
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(endpoint: endpoint, after: connectTimeout)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidRequest(detail: "\(endpoint): \(CurlErrorMapping.detail(result, easy.errorText, url: url))")
        default:
            return .connectionFailed(endpoint: endpoint, detail: CurlErrorMapping.detail(result, easy.errorText, url: url))
        }
    }
}
