import CCurl

/// libcurl's process-wide initialisation.
enum CurlGlobalInit {
    /// `curl_global_init` is not thread-safe and must run once per process; a
    /// static `let` is initialised exactly once, under the runtime's own lock.
    private static let succeeded: Bool = qlp_curl_global_init() == CURLE_OK

    /// Runs `curl_global_init` on first use; false if it failed.
    static func ensure() -> Bool { succeeded }
}
