import QLPTestSupport
import Synchronization
import Testing

@testable import QLPRedis

@Suite struct RedisSubscriptionTests {
    /// Collects a subscription's events as they come, so a test can wait for one with a deadline.
    final class EventLog: Sendable {
        private let events = Mutex<[RedisSubscription.Event]>([])

        /// Reads until the stream ends (the subscription's `stop()`).
        init(_ stream: AsyncStream<RedisSubscription.Event>) {
            Task { [self] in for await event in stream { events.withLock { $0.append(event) } } }
        }

        var all: [RedisSubscription.Event] { events.withLock { $0 } }

        /// Waits until an event after index `from` matches; returns its index.
        func wait(from: Int = 0, within limit: Duration = .seconds(10), for matches: (RedisSubscription.Event) -> Bool) async throws -> Int
        {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let index = all.indices.dropFirst(from).first(where: { matches(all[$0]) }) { return index }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("no matching event after #\(from) within \(limit); saw \(all)")
            throw CancellationError()
        }
    }

    @Test func messagesArriveAndTheSubscriptionComesBackAfterARestart() async throws {
        let server = try await RedisServerFixture.start()
        let url = try RedisURL(parsing: server.url)
        let subscription = RedisSubscription(url: url, channels: ["routes", "keys"])
        let publisher = RedisClient(url: url)
        do {
            let log = EventLog(subscription.events())
            var at = try await log.wait { $0 == .subscribed }
            #expect(try await publisher.send("PUBLISH", "routes", "v2").int == 1)
            at = try await log.wait(from: at) { $0 == .message(channel: "routes", payload: "v2") }

            await server.stop()
            at = try await log.wait(from: at) {
                if case .disconnected(let error) = $0 { error.address == "127.0.0.1:\(server.port)" } else { false }
            }
            try await server.start()
            at = try await log.wait(from: at) { $0 == .subscribed }
            _ = try await publisher.send("PUBLISH", "keys", "k1")
            _ = try await log.wait(from: at) { $0 == .message(channel: "keys", payload: "k1") }
            #expect(log.all.filter { if case .disconnected = $0 { true } else { false } }.count == 1)
        } catch {
            await subscription.stop()
            await publisher.close()
            await server.remove()
            throw error
        }
        await subscription.stop()
        await publisher.close()
        await server.remove()
    }

    @Test func stopEndsTheStream() async throws {
        let server = try await RedisServerFixture.start()
        let subscription = RedisSubscription(url: try RedisURL(parsing: server.url), channels: ["routes"])
        let events = subscription.events()
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .subscribed)
        await subscription.stop()
        #expect(await iterator.next() == nil)
        await server.remove()
    }
}
