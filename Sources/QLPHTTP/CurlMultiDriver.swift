import CCurl
import Logging

/// Everything that touches the multi handle and the easy handles in flight.
/// Owned by the multi loop thread and used only there.
final class CurlMultiDriver {
    private let multi: UnsafeMutableRawPointer
    private let maxConcurrentTransfers: Int
    private let logger: Logger
    /// Owns every transfer attached to `multi`; this is what keeps the
    /// unretained callback context pointers valid.
    private var active: [UInt64: CurlTransfer] = [:]
    private var idleHandles: [CurlEasyHandle] = []
    private let headsToHandOver = HeadsToHandOver()
    /// Streamed transfers with a first-chunk deadline (`HTTPRequest.firstChunkTimeout`)
    /// still to check. Ids whose transfer got its chunk or ended are dropped at the next check.
    private var awaitingFirstChunk: Set<UInt64> = []

    init(multi: UnsafeMutableRawPointer, maxConcurrentTransfers: Int, maxConnectionsPerHost: Int, logger: Logger) {
        self.multi = multi
        self.maxConcurrentTransfers = maxConcurrentTransfers
        self.logger = logger
        // Never more connections than transfers: a transfer that has to wait
        // for a connection inside libcurl would have that wait in its timings.
        let cap = maxConcurrentTransfers
        _ = qlp_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        _ = qlp_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, cap)
        _ = qlp_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, cap)
    }

    var activeCount: Int { active.count }

    /// Attaches a transfer to the multi handle, or fails it at once.
    func start(_ transfer: CurlTransfer) {
        guard let easy = idleHandles.popLast() ?? CurlEasyHandle() else {
            transfer.finish(
                .failure(
                    .transferFailed(
                        endpoint: transfer.endpoint, breakage: .other(curlCode: Int(CURLE_FAILED_INIT.rawValue)),
                        detail: "libcurl could not create a handle")))
            return
        }
        let setup = CurlOptions.apply(transfer, to: easy)
        if setup != CURLE_OK {
            let error = CurlErrorMapping.error(for: setup, transfer: transfer, curlMessage: "", elapsed: .zero)
            recycle(easy, from: transfer)
            transfer.finish(.failure(error))
            return
        }
        let added = curl_multi_add_handle(multi, easy.raw)
        guard added == CURLM_OK else {
            recycle(easy, from: transfer)
            let text = String(cString: curl_multi_strerror(added))
            transfer.finish(
                .failure(
                    .transferFailed(
                        endpoint: transfer.endpoint, breakage: .other(curlCode: Int(CURLE_FAILED_INIT.rawValue)),
                        detail: "libcurl refused the transfer: \(text)")))
            return
        }
        transfer.easy = easy
        transfer.headsToHandOver = headsToHandOver
        active[transfer.id] = transfer
        if transfer.firstChunkDeadline != nil { awaitingFirstChunk.insert(transfer.id) }
    }

    /// Fails the streamed transfers whose first chunk did not come by its
    /// deadline, and says how long until the next such deadline (nil: none),
    /// which the loop's sleep must not outlast. The deadline is kept here,
    /// on the thread that sees the bytes arrive, rather than raced against a
    /// timer by the caller: a race costs the caller's task two more thread
    /// hand-offs on the way to the first token.
    func expireFirstChunkDeadlines(now: ContinuousClock.Instant = .now) -> Duration? {
        guard !awaitingFirstChunk.isEmpty else { return nil }
        var next: Duration?
        for id in awaitingFirstChunk {
            guard let transfer = active[id], !transfer.firstChunkArrived, let deadline = transfer.firstChunkDeadline else {
                awaitingFirstChunk.remove(id)
                continue
            }
            guard deadline <= now else {
                next = min(next ?? (deadline - now), deadline - now)
                continue
            }
            awaitingFirstChunk.remove(id)
            active[id] = nil
            detach(transfer)
            transfer.finish(.failure(.timedOut(endpoint: transfer.endpoint, after: transfer.request.firstChunkTimeout ?? .zero)))
        }
        return next
    }

    /// Stops an in-flight transfer of a cancelled task; unknown ids have
    /// already finished and are ignored.
    func cancel(id: UInt64) {
        guard let transfer = active.removeValue(forKey: id) else { return }
        detach(transfer)
        transfer.finish(.failure(.cancelled(endpoint: transfer.endpoint)))
    }

    /// Lets a paused transfer receive again; libcurl may hand over the held
    /// bytes inside this call. Unknown ids have finished and are ignored.
    func unpause(id: UInt64) {
        guard let easy = active[id]?.easy else { return }
        let code = qlp_easy_unpause(easy.raw)
        if code != CURLE_OK {
            logger.warning("curl_easy_pause(CONT) failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// Fails every in-flight transfer, e.g. on shutdown.
    func failAll(_ error: HTTPTransportError) {
        let all = active.values
        active.removeAll()
        for transfer in all {
            detach(transfer)
            transfer.finish(.failure(error))
        }
    }

    /// Lets libcurl do whatever I/O is ready, then finishes completed transfers.
    func performAndCollect() {
        var stillRunning: Int32 = 0
        let performed = curl_multi_perform(multi, &stillRunning)
        if performed != CURLM_OK {
            logger.warning("curl_multi_perform failed: \(String(cString: curl_multi_strerror(performed)))")
        }
        headsToHandOver.handOver()
        var messagesLeft: Int32 = 0
        while let message = curl_multi_info_read(multi, &messagesLeft) {
            guard qlp_msg_kind(message) == CURLMSG_DONE, let easy = qlp_msg_easy(message) else { continue }
            // Read the message before detaching: removing the handle frees it.
            let code = qlp_msg_result(message)
            var context: UnsafeMutableRawPointer?
            _ = qlp_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &context)
            guard let context else { continue }
            let id = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().id
            guard let transfer = active.removeValue(forKey: id) else { continue }
            complete(transfer, code: code)
        }
    }

    /// Sleeps until a socket is ready, a libcurl timer is due, the timeout
    /// passes, or another thread calls curl_multi_wakeup.
    func poll(timeoutMilliseconds: Int32) {
        let polled = curl_multi_poll(multi, nil, 0, timeoutMilliseconds, nil)
        if polled != CURLM_OK {
            logger.warning("curl_multi_poll failed: \(String(cString: curl_multi_strerror(polled)))")
        }
    }

    /// Frees every handle; the multi handle last, after all easy handles left it.
    func cleanUp() {
        failAll(.shutDown)
        awaitingFirstChunk.removeAll()
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    private func complete(_ transfer: CurlTransfer, code: CURLcode) {
        guard let easy = transfer.easy else { return }
        let timings = readTimings(easy)
        let result: Result<HTTPResponse, HTTPTransportError>
        if code == CURLE_OK {
            var status = 0
            _ = qlp_easy_getinfo_long(easy.raw, CURLINFO_RESPONSE_CODE, &status)
            result = .success(
                HTTPResponse(
                    status: status, headers: transfer.responseHeaders,
                    body: transfer.takeBody(), timings: timings))
        } else {
            result = .failure(
                CurlErrorMapping.error(
                    for: code, transfer: transfer,
                    curlMessage: easy.errorText, elapsed: timings.total))
        }
        detach(transfer)
        logCompletion(transfer, result, total: timings.total)
        transfer.finish(result)
    }

    private func readTimings(_ easy: CurlEasyHandle) -> HTTPTimings {
        func microseconds(_ info: CURLINFO) -> Duration {
            var value: curl_off_t = 0
            _ = qlp_easy_getinfo_off_t(easy.raw, info, &value)
            return .microseconds(value)
        }
        return HTTPTimings(
            nameLookup: microseconds(CURLINFO_NAMELOOKUP_TIME_T),
            connect: microseconds(CURLINFO_CONNECT_TIME_T),
            timeToFirstByte: microseconds(CURLINFO_STARTTRANSFER_TIME_T),
            total: microseconds(CURLINFO_TOTAL_TIME_T))
    }

    /// Takes the transfer's handle off the multi handle and back to the pool.
    private func detach(_ transfer: CurlTransfer) {
        guard let easy = transfer.easy else { return }
        _ = curl_multi_remove_handle(multi, easy.raw)
        recycle(easy, from: transfer)
    }

    private func recycle(_ easy: CurlEasyHandle, from transfer: CurlTransfer) {
        transfer.easy = nil
        transfer.headsToHandOver = nil
        transfer.releaseHeaderList()
        easy.reset()
        if idleHandles.count < maxConcurrentTransfers { idleHandles.append(easy) }
    }

    /// One line per transfer; never header values or bodies, which carry tokens.
    private func logCompletion(
        _ transfer: CurlTransfer, _ result: Result<HTTPResponse, HTTPTransportError>,
        total: Duration
    ) {
        logger.debug(
            "\(transfer.request.method.rawValue) \(transfer.endpoint) \(outcome(result)) in \(ElapsedTimeText.fixed(ElapsedTimeText.milliseconds(total), decimals: 2)) ms"
        )
    }

    private func outcome(_ result: Result<HTTPResponse, HTTPTransportError>) -> String {
        switch result {
        case .success(let response): "\(response.status)"
        case .failure(let error): "failed (\(error))"
        }
    }
}
