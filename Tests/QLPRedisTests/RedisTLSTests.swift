import Foundation
import QLPTestSupport
import Testing

@testable import QLPRedis

/// rediss:// against redis-server's TLS port, with a CA and certificate made for the test.
@Suite struct RedisTLSTests {
    /// A CA, and a server certificate it signed for 127.0.0.1, in a temporary directory.
    private static func makeCertificates() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-redis-tls-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: directory + "/san.ext", atomically: true, encoding: .utf8)
        let steps = [
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                "-out", "ca.crt", "-days", "2", "-subj", "/CN=qlp test CA",
            ],
            [
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=127.0.0.1",
            ],
            [
                "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "san.ext",
            ],
        ]
        for step in steps {
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = step
            openssl.currentDirectoryURL = URL(fileURLWithPath: directory)
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else {
                throw RedisServerFixture.Failure(description: "openssl \(step[0]) failed with \(openssl.terminationStatus)")
            }
        }
        return directory
    }

    @Test func trustedCertificateConnectsAndAnUntrustedOneIsNamed() async throws {
        let certificates = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(atPath: certificates) }
        let server = try await RedisServerFixture.start(
            arguments: [
                "--tls-cert-file", certificates + "/server.crt", "--tls-key-file", certificates + "/server.key",
                "--tls-ca-cert-file", certificates + "/ca.crt", "--tls-auth-clients", "no",
            ], tlsPort: true)
        do {
            let url = try RedisURL(parsing: server.url)
            #expect(url.tls)

            let trusting = RedisClient(url: url, tls: RedisTLSSettings(caFile: certificates + "/ca.crt"))
            #expect(try await trusting.send("SET", "over", "tls") == .simpleString("OK"))
            #expect(try await trusting.send("GET", "over").string == "tls")
            await trusting.close()

            // Only the system's roots: the test CA is not among them.
            let strict = RedisClient(url: url)
            do throws(RedisError) {
                _ = try await strict.send("PING")
                Issue.record("PING over TLS with an untrusted certificate succeeded")
            } catch {
                guard case .unreachable(let address, let detail) = error else {
                    Issue.record("expected .unreachable, got \(error)")
                    throw error
                }
                #expect(address == "127.0.0.1:\(server.port) (TLS)")
                #expect(detail.hasPrefix("TLS handshake failed"))
                #expect("\(error)".hasPrefix("Redis at 127.0.0.1:\(server.port) (TLS): cannot connect: TLS handshake failed"))
            }
            await strict.close()
        } catch {
            await server.remove()
            throw error
        }
        await server.remove()
    }
}
