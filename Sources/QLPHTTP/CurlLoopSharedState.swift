/// What callers and the multi loop thread share; only ever touched under
/// the loop's mutex.
struct CurlLoopSharedState {
    /// Transfers waiting for a free slot, oldest first.
    var waiting = TransferQueue()
    /// Ids of in-flight transfers whose tasks were cancelled.
    var cancelledIDs: [UInt64] = []
    /// Paused streamed transfers whose readers caught up.
    var unpausedIDs: [UInt64] = []
    var isShutDown = false
    /// True while the loop is in (or about to enter) curl_multi_poll; only
    /// then is a curl_multi_wakeup worth its system call.
    var loopIsPolling = false
    /// The loop's count of attached transfers as of its last check; while it
    /// polls, a new transfer cannot start if this is at the cap, so there is
    /// no point waking it.
    var activeCount = 0
}
