import CCurl

/// Translates a failed transfer's CURLcode into an ``HTTPTransportError``.
enum CurlErrorMapping {
    /// - Parameters:
    ///   - curlMessage: the CURLOPT_ERRORBUFFER text, often more specific than curl_easy_strerror.
    ///   - elapsed: CURLINFO_TOTAL_TIME_T, used to tell which timeout fired.
    static func error(
        for code: CURLcode, transfer: CurlTransfer, curlMessage: String, elapsed: Duration
    ) -> HTTPTransportError {
        let endpoint = transfer.endpoint
        let request = transfer.request
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            // libcurl fires the whole-transfer timeout only once it has
            // passed, so anything earlier was the connect timeout.
            let limit = elapsed >= request.timeout ? request.timeout : min(request.connectTimeout, request.timeout)
            return .timedOut(endpoint: endpoint, after: limit)
        case CURLE_WRITE_ERROR where transfer.exceededResponseLimit, CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge(endpoint: endpoint, limit: request.maxResponseBytes)
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
            CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_PROXY:
            return .connectionFailed(endpoint: endpoint, detail: detail(code, curlMessage, url: request.url))
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidRequest(detail: "\(endpoint): \(detail(code, curlMessage, url: request.url))")
        default:
            let text = detail(code, curlMessage, url: request.url)
            return .transferFailed(
                endpoint: endpoint, breakage: breakage(code, detail: text), detail: "curl error \(code.rawValue): \(text)")
        }
    }

    /// What a broken transfer's CURLcode says happened.
    static func breakage(_ code: CURLcode, detail: String) -> TransferBreakage {
        switch code {
        case CURLE_PARTIAL_FILE: .cutShort  // fewer bytes than Content-Length
        case CURLE_GOT_NOTHING: .emptyReply  // closed before any response
        case CURLE_SEND_ERROR: .sendFailed
        case CURLE_RECV_ERROR where detail.lowercased().contains("reset"): .connectionReset
        case CURLE_RECV_ERROR: .receiveFailed
        case CURLE_WEIRD_SERVER_REPLY: .malformedAnswer
        case CURLE_HTTP2_STREAM, CURLE_HTTP2: .http2StreamBroken
        default: .other(curlCode: Int(code.rawValue))
        }
    }

    /// The error buffer's text when there is one, else libcurl's generic text
    /// for the code. libcurl names hosts, not full URLs, in these messages;
    /// the query string is scrubbed anyway in case a future version does.
    static func detail(_ code: CURLcode, _ curlMessage: String, url: String) -> String {
        let generic = String(cString: curl_easy_strerror(code))
        var text = curlMessage.isEmpty ? generic : curlMessage
        let query = RedactedEndpoint.query(of: url)
        if !query.isEmpty { text = text.replacing(query, with: "<query>") }
        return text
    }
}
