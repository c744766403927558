import QLPCore
import QLPTestSupport
import Synchronization
import Testing

@testable import QLPRedis

/// Against a redis-server of each test's own.
@Suite struct RedisClientTests {
    private func withServer(_ arguments: [String] = [], _ body: (RedisServerFixture) async throws -> Void) async throws {
        let server = try await RedisServerFixture.start(arguments: arguments)
        do {
            try await body(server)
        } catch {
            await server.remove()
            throw error
        }
        await server.remove()
    }

    private func client(_ server: RedisServerFixture, path: String = "", commandTimeout: Duration = .seconds(2)) throws -> RedisClient {
        RedisClient(url: try RedisURL(parsing: server.url + path), commandTimeout: commandTimeout)
    }

    @Test func setThenGet() async throws {
        try await withServer { server in
            let redis = try client(server)
            #expect(try await redis.send("SET", "route:gpt", "azure=70,ollama=30") == .simpleString("OK"))
            #expect(try await redis.send("GET", "route:gpt").string == "azure=70,ollama=30")
            #expect(try await redis.send("GET", "missing") == .bulkString(nil))
            await redis.close()
        }
    }

    @Test func pipelinedRepliesReachTheirOwnCallers() async throws {
        try await withServer { server in
            let redis = try client(server)
            let counts = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let count = try await redis.send("INCR", "counter").int ?? -1
                        // Interleaved with the INCRs: an ECHO answered with someone else's reply shows here.
                        let echo = try await redis.send("ECHO", "task \(index)").string
                        #expect(echo == "task \(index)")
                        return (count, echo)
                    }
                }
                var counts: [Int] = []
                for try await (count, _) in group { counts.append(count) }
                return counts
            }
            #expect(Set(counts) == Set(1...50))
            await redis.close()
        }
    }

    @Test func databaseFromTheURLIsSelected() async throws {
        try await withServer { server in
            let three = try client(server, path: "/3")
            let zero = try client(server)
            _ = try await three.send("SET", "k", "in three")
            #expect(try await zero.send("GET", "k") == .bulkString(nil))
            #expect(try await zero.send("SELECT", "3") == .simpleString("OK"))
            #expect(try await zero.send("GET", "k").string == "in three")
            await three.close()
            await zero.close()
        }
    }

    @Test func errorReplyThrowsServerErrorNamingTheAddress() async throws {
        try await withServer { server in
            let redis = try client(server)
            _ = try await redis.send("SET", "text", "abc")
            await #expect(
                throws: RedisError.server(
                    address: "127.0.0.1:\(server.port)",
                    message: "ERR value is not an integer or out of range")
            ) {
                try await redis.send("INCR", "text")
            }
            // The connection is still good after an error reply.
            #expect(try await redis.send("PING") == .simpleString("PONG"))
            await redis.close()
        }
    }

    @Test func scriptRunsAgainAfterTheServerForgetsIt() async throws {
        try await withServer { server in
            let redis = try client(server)
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            #expect(try await redis.run(script, keys: ["weight"], arguments: ["5"]) == .integer(5))
            _ = try await redis.send("SCRIPT", "FLUSH")
            #expect(try await redis.send("SCRIPT", "EXISTS", script.sha1) == .array([.integer(0)]))
            #expect(try await redis.run(script, keys: ["weight"], arguments: ["5"]) == .integer(10))
            // EVAL cached it: the next run is an EVALSHA again.
            #expect(try await redis.send("SCRIPT", "EXISTS", script.sha1) == .array([.integer(1)]))
            await redis.close()
        }
    }

    @Test func authWithThePasswordFromTheURL() async throws {
        try await withServer(["--requirepass", "hunter2"]) { server in
            let good = RedisClient(url: try RedisURL(parsing: "redis://default:hunter2@127.0.0.1:\(server.port)"))
            #expect(try await good.send("PING") == .simpleString("PONG"))
            await good.close()

            let wrong = RedisClient(url: try RedisURL(parsing: "redis://:wrong-pass@127.0.0.1:\(server.port)"))
            do throws(RedisError) {
                _ = try await wrong.send("PING")
                Issue.record("PING with a wrong password succeeded")
            } catch {
                guard case .server(let address, let message) = error else { throw error }
                #expect(address == "127.0.0.1:\(server.port)")
                #expect(message.contains("AUTH as the default user refused"))
                #expect(message.contains("WRONGPASS"))
                #expect(!"\(error)".contains("wrong-pass"))
            }
            await wrong.close()

            let none = try client(server)
            await #expect(throws: RedisError.self) { try await none.send("PING") }
            await none.close()
        }
    }

    @Test func slowReplyTimesOutNamingOnlyTheCommandThenRecovers() async throws {
        try await withServer(["--enable-debug-command", "yes"]) { server in
            let redis = try client(server, commandTimeout: .milliseconds(500))
            // Connected before the DEBUG: commands waiting for a first connection are written in no set order.
            #expect(try await redis.send("PING") == .simpleString("PONG"))
            let started = ContinuousClock.now
            let debugSending = Mutex(false)
            let queued = Task {
                // Written after the DEBUG, so it waits behind it on the same connection: it starts 300 ms after the
                // DEBUG is being sent, not after this task was made (on a loaded machine the test's own task was
                // seen to run later than that, and the GET went first). Its own timeout then ends after the DEBUG's.
                while !debugSending.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                try await Task.sleep(for: .milliseconds(300))
                return try await redis.send("GET", "secret-key-name")
            }
            debugSending.withLock { $0 = true }
            await #expect(throws: RedisError.timeout(address: "127.0.0.1:\(server.port)", command: "DEBUG")) {
                try await redis.send("DEBUG", "SLEEP", "2")
            }
            #expect(ContinuousClock.now - started < .milliseconds(1500))
            await #expect(
                throws: RedisError.connectionLost(
                    address: "127.0.0.1:\(server.port)",
                    detail: "closed after DEBUG got no reply within the command timeout")
            ) {
                try await queued.value
            }
            // Redis answers nothing else until its DEBUG SLEEP is over.
            try await Task.sleep(until: started + .seconds(2.2))
            #expect(try await redis.send("PING") == .simpleString("PONG"))
            await redis.close()
        }
    }

    @Test func stoppedServerIsNamedAndARestartedOneIsUsedAgain() async throws {
        try await withServer { server in
            let redis = try client(server)
            _ = try await redis.send("SET", "kept", "yes")
            await server.stop()
            do throws(RedisError) {
                _ = try await redis.send("GET", "kept")
                Issue.record("GET answered with the server stopped")
            } catch {
                switch error {
                case .unreachable(let address, _), .connectionLost(let address, _):
                    #expect(address == "127.0.0.1:\(server.port)")
                    #expect("\(error)".hasPrefix("Redis at 127.0.0.1:\(server.port): "))
                default:
                    Issue.record("expected unreachable or connection lost, got \(error)")
                }
            }
            try await server.start()
            // The append-only file brought the key back; the client reconnected on its own.
            #expect(try await redis.send("GET", "kept").string == "yes")
            await redis.close()
        }
    }

    @Test func crashedServerFailsTheCommandNamingTheAddress() async throws {
        try await withServer { server in
            let redis = try client(server)
            #expect(try await redis.send("PING") == .simpleString("PONG"))
            server.kill9()
            await #expect(throws: RedisError.self) { try await redis.send("PING") }
            do throws(RedisError) {
                _ = try await redis.send("PING")
                Issue.record("PING answered by a killed server")
            } catch {
                #expect(error == .unreachable(address: "127.0.0.1:\(server.port)", detail: "Connection refused"))
                #expect(error.description == "Redis at 127.0.0.1:\(server.port): cannot connect: Connection refused")
            }
            try await server.start()
            #expect(try await redis.send("PING") == .simpleString("PONG"))
            await redis.close()
        }
    }

    @Test func closedClientRefusesCommands() async throws {
        try await withServer { server in
            let redis = try client(server)
            _ = try await redis.send("PING")
            await redis.close()
            await #expect(throws: RedisError.connectionLost(address: "127.0.0.1:\(server.port)", detail: "the client was closed")) {
                try await redis.send("PING")
            }
        }
    }
}
