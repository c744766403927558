import Foundation

/// A series' newest points in time order, never more than `capacity`: the
/// oldest point goes when a new one would overflow it. Points arrive in time
/// order almost always; a point for a time already held replaces its value
/// (a metric's late-filled slot), and an older missing time is inserted.
public struct SeriesRing: Sendable, Equatable {
    public let capacity: Int
    /// Storage with a moving start, so dropping the oldest is O(1); compacted
    /// once the dead prefix is as large as the capacity.
    private var storage: [SeriesPoint] = []
    private var start = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { storage.count - start }
    public var isEmpty: Bool { count == 0 }
    public var last: SeriesPoint? { isEmpty ? nil : storage[storage.count - 1] }

    /// The points, oldest first.
    public var points: ArraySlice<SeriesPoint> { storage[start...] }

    /// Points at or after `since`, oldest first.
    public func points(since: Date) -> [SeriesPoint] {
        let live = storage[start...]
        guard let first = live.firstIndex(where: { $0.at >= since }) else { return [] }
        return Array(live[first...])
    }

    public mutating func insert(_ point: SeriesPoint) {
        if let last, point.at > last.at {
            storage.append(point)
        } else if let index = storage[start...].lastIndex(where: { $0.at <= point.at }) {
            if storage[index].at == point.at {
                storage[index].value = point.value
                return
            }
            storage.insert(point, at: index + 1)
        } else {
            // Older than everything held: kept only while there is room.
            guard count < capacity else { return }
            storage.insert(point, at: start)
        }
        if count > capacity { start += 1 }
        if start >= capacity {
            storage.removeFirst(start)
            start = 0
        }
    }

    public static func == (lhs: SeriesRing, rhs: SeriesRing) -> Bool {
        lhs.capacity == rhs.capacity && lhs.points.elementsEqual(rhs.points)
    }
}
