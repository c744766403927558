import CCurl

/// Turns an ``HTTPRequest`` into easy-handle options. Runs on the multi loop
/// thread, on a freshly reset handle.
enum CurlOptions {
    /// Sets every option for `transfer` on `easy`; returns the first failure.
    static func apply(_ transfer: CurlTransfer, to easy: CurlEasyHandle) -> CURLcode {
        var options = OptionWriter(handle: easy.raw)
        let request = transfer.request
        let context = Unmanaged.passUnretained(transfer).toOpaque()

        // The driver's table of active transfers owns `transfer` for as long
        // as libcurl can call back, so unretained context pointers are safe
        // and there is no retain count to balance.
        options.pointer(CURLOPT_PRIVATE, context)
        options.string(CURLOPT_URL, request.url)
        options.long(CURLOPT_NOSIGNAL, 1)
        options.string(CURLOPT_PROTOCOLS_STR, "http,https")
        options.string(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        options.long(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
        options.long(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout))
        options.long(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        if request.followRedirects { options.long(CURLOPT_MAXREDIRS, 10) }
        if request.maxResponseBytes > 0 {
            // Lets libcurl refuse early when Content-Length is already too big.
            options.offset(CURLOPT_MAXFILESIZE_LARGE, Int64(request.maxResponseBytes))
        }
        options.pointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(easy.errorBuffer))
        setCallbacks(&options, context: context)
        setMethodAndBody(&options, request)
        if let authentication = request.authentication { setAuthentication(&options, authentication) }

        transfer.headerList = headerList(for: request)
        if transfer.headerList == nil { return CURLE_OUT_OF_MEMORY }
        options.slist(CURLOPT_HTTPHEADER, transfer.headerList)
        return options.firstFailure
    }

    private static func setCallbacks(_ options: inout OptionWriter, context: UnsafeMutableRawPointer) {
        options.record(
            qlp_easy_setopt_write_function(options.handle) { buffer, size, count, context in
                let length = size * count
                guard let context else { return 0 }
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                switch transfer.appendBody(UnsafeRawBufferPointer(start: buffer, count: length)) {
                case .taken: return length
                // Returning less than `length` makes libcurl abort with CURLE_WRITE_ERROR.
                case .refused: return 0
                case .pause: return qlp_writefunc_pause()
                }
            })
        options.pointer(CURLOPT_WRITEDATA, context)
        options.record(
            qlp_easy_setopt_header_function(options.handle) { buffer, size, count, context in
                let length = size * count
                guard let context else { return length }
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length))
                return length
            })
        options.pointer(CURLOPT_HEADERDATA, context)
    }

    private static func setMethodAndBody(_ options: inout OptionWriter, _ request: HTTPRequest) {
        switch request.method {
        case .head:
            options.long(CURLOPT_NOBODY, 1)
        case .get where request.body.isEmpty:
            break  // a reset handle already does GET
        case .delete where request.body.isEmpty, .options where request.body.isEmpty:
            options.string(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        case .post:
            // Even an empty POST goes through POSTFIELDS so that it carries Content-Length: 0.
            setBody(&options, request.body)
        case .get, .put, .patch, .delete, .options:
            // POSTFIELDS makes libcurl send a body; CUSTOMREQUEST renames the method.
            options.string(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            setBody(&options, request.body)
        }
    }

    /// User and password go in separately (not CURLOPT_USERPWD's "user:password",
    /// which would split at the first colon). libcurl copies both strings, and
    /// `curl_easy_reset` forgets them before the handle is reused. A NUL would
    /// silently cut a C string short, so it fails the request instead; the
    /// error says nothing about the values.
    private static func setAuthentication(_ options: inout OptionWriter, _ authentication: HTTPAuthentication) {
        switch authentication {
        case .digest(let user, let password):
            guard !user.utf8.contains(0), !password.utf8.contains(0) else {
                options.record(CURLE_BAD_FUNCTION_ARGUMENT)
                return
            }
            options.long(CURLOPT_HTTPAUTH, qlp_curlauth_digest())
            options.string(CURLOPT_USERNAME, user)
            options.string(CURLOPT_PASSWORD, password)
        }
    }

    /// COPYPOSTFIELDS copies the bytes at once, so the body need not outlive
    /// this call; the size must be set first or libcurl would use strlen.
    private static func setBody(_ options: inout OptionWriter, _ body: [UInt8]) {
        options.offset(CURLOPT_POSTFIELDSIZE_LARGE, Int64(body.count))
        if body.isEmpty {
            options.string(CURLOPT_COPYPOSTFIELDS, "")
        } else {
            body.withUnsafeBytes { bytes in
                options.pointer(CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        }
    }

    /// The request's headers in libcurl's form, plus an empty `Expect:` so
    /// that bodies are sent at once instead of after a 100-continue round trip.
    private static func headerList(for request: HTTPRequest) -> UnsafeMutablePointer<curl_slist>? {
        var lines = request.headers.map { name, value in
            // "Name:" would tell libcurl to delete the header; "Name;" sends it empty.
            value.isEmpty ? "\(name);" : "\(name): \(value)"
        }
        if !request.headers.contains(name: "Expect") { lines.append("Expect:") }
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let longer = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                return nil
            }
            list = longer
        }
        return list
    }

    /// libcurl treats 0 as "no limit", so anything positive rounds up to at least 1 ms.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let (wholeMs, remainder) = attoseconds.quotientAndRemainder(dividingBy: 1_000_000_000_000_000)
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int.max }
        return max(1, Int(total.partialValue + wholeMs + (remainder > 0 ? 1 : 0)))
    }
}

/// Calls the typed setopt wrappers and keeps the first error, so a sequence
/// of options reads as a list rather than a ladder of checks.
struct OptionWriter {
    let handle: UnsafeMutableRawPointer
    private(set) var firstFailure = CURLE_OK

    init(handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    mutating func record(_ code: CURLcode) {
        if firstFailure == CURLE_OK && code != CURLE_OK { firstFailure = code }
    }

    mutating func long(_ option: CURLoption, _ value: Int) {
        record(qlp_easy_setopt_long(handle, option, value))
    }

    mutating func offset(_ option: CURLoption, _ value: Int64) {
        record(qlp_easy_setopt_off_t(handle, option, curl_off_t(value)))
    }

    mutating func string(_ option: CURLoption, _ value: String) {
        record(qlp_easy_setopt_string(handle, option, value))
    }

    mutating func pointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) {
        record(qlp_easy_setopt_pointer(handle, option, value))
    }

    mutating func slist(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) {
        record(qlp_easy_setopt_slist(handle, option, value))
    }
}
