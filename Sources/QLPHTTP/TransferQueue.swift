/// First-in, first-out queue of transfers waiting for a free slot.
///
/// Waiting happens here rather than inside libcurl because libcurl's timers
/// start when a handle is added to the multi handle: queued time would show
/// up as connect and first-byte latency.
struct TransferQueue {
    private var slots: [CurlTransfer?] = []
    private var head = 0

    var isEmpty: Bool { head == slots.count }
    var count: Int { slots.count - head }

    mutating func append(_ transfer: CurlTransfer) {
        slots.append(transfer)
    }

    mutating func popFirst() -> CurlTransfer? {
        guard head < slots.count else { return nil }
        let first = slots[head]
        slots[head] = nil
        head += 1
        compactIfWorthwhile()
        return first
    }

    /// Takes out a queued transfer, e.g. because its task was cancelled.
    mutating func remove(id: UInt64) -> CurlTransfer? {
        guard let index = slots[head...].firstIndex(where: { $0?.id == id }) else { return nil }
        return slots.remove(at: index)
    }

    mutating func removeAll() -> [CurlTransfer] {
        let all = slots[head...].compactMap { $0 }
        slots = []
        head = 0
        return all
    }

    /// Drops consumed slots once they are the majority, keeping pops O(1) amortised.
    private mutating func compactIfWorthwhile() {
        if head == slots.count {
            slots.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= slots.count {
            slots.removeFirst(head)
            head = 0
        }
    }
}
