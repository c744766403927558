import CCurl

/// A libcurl easy handle with the error buffer it writes into.
///
/// Handles are pooled by the multi driver and `curl_easy_reset` between
/// transfers, which keeps their DNS cache and saves an allocation per request.
/// Used only on the multi loop thread, or, for a mail, only on the thread
/// that sends it (``CurlMailTransport``).
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER target; libcurl requires it to outlive the transfer.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    /// libcurl's detailed message about the last failure, empty if none.
    var errorText: String {
        errorBuffer[Int(CURL_ERROR_SIZE) - 1] = 0
        return String(cString: errorBuffer)
    }

    /// Clears every option, so no pointer into a finished transfer survives.
    func reset() {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }
}
