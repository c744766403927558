import Foundation
import NIOSSL
import QLPHTTP
import Testing

/// The event loop client speaks https through NIOSSL: it answers through a
/// certificate a trusted CA signed for the upstream's address, and refuses an
/// upstream whose certificate no trusted CA signed, or one signed for another
/// name, with a connection error that says TLS. The certificates are made for
/// each run by `openssl` (a CA and two leaves), so no key is kept in the tree.
/// (libcurl's https is Debian's libcurl and OpenSSL; it has no trust-root
/// setting here to point at a test CA.)
@Suite(.timeLimit(.minutes(1))) struct UpstreamTLSTests {
    static let answer = #"{"id":"tls","object":"chat.completion","choices":[]}"#

    /// A CA, a leaf it signed for 127.0.0.1 and localhost, and one it signed for another name only.
    struct Certificates {
        let directory: String
        var ca: String { directory + "/ca.pem" }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-tls-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
            let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            try Self.openssl(
                ["req", "-x509"] + curve + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=qlp test CA"], in: directory)
            try leaf("upstream", names: "IP:127.0.0.1,DNS:localhost", serial: 2)
            try leaf("elsewhere", names: "DNS:elsewhere.example", serial: 3)
        }

        private func leaf(_ name: String, names: String, serial: Int) throws {
            let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            try Self.openssl(
                ["req"] + curve + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=qlp test \(name)"], in: directory)
            try "subjectAltName=\(names)\n".write(toFile: directory + "/\(name).ext", atomically: true, encoding: .utf8)
            try Self.openssl(
                [
                    "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "\(serial)",
                    "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext",
                ], in: directory)
        }

        /// A TLS server context presenting the leaf `name`.
        func server(_ name: String) throws -> NIOSSLContext {
            try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(directory + "/\(name).pem").map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: directory + "/\(name).key", format: .pem))))
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }

        static func openssl(_ arguments: [String], in directory: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let said = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw Failure(description: "openssl \(arguments.first ?? "") failed: \(String(decoding: said, as: UTF8.self).suffix(300))")
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func request(_ base: String) -> HTTPRequest {
        HTTPRequest(
            method: .post, url: base + "/v1/chat/completions", headers: ["content-type": "application/json"],
            body: Array(#"{"model":"gpt-4"}"#.utf8), timeout: .seconds(20))
    }

    @Test func anUpstreamWhoseCertificateATrustedCASignedIsAnswered() async throws {
        let certificates = try Certificates()
        defer { certificates.remove() }
        let upstream = StallingUpstream(
            script: StallingUpstream.wholeAnswer(Self.answer), laterRequests: .answered, tls: try certificates.server("upstream"))
        let base = try await upstream.start()
        let transport = EventLoopHTTPTransport(maxConnectionsPerHost: 4, additionalTrustRootFiles: [certificates.ca])
        defer { Task { await upstream.stop() } }
        #expect(base.hasPrefix("https://127.0.0.1:"))
        // Twice: the second rides the kept-alive TLS connection.
        for _ in 0..<2 {
            let response = try await transport.send(Self.request(base))
            #expect(response.status == 200)
            #expect(response.bodyText == Self.answer)
        }
        #expect(upstream.acceptedConnections == 1)
        await transport.shutdown()
    }

    @Test(arguments: [("no trusted CA signed it", "upstream", false), ("it names another host", "elsewhere", true)])
    func anUpstreamWhoseCertificateDoesNotHoldIsRefused(why: String, leaf: String, trustTheCA: Bool) async throws {
        let certificates = try Certificates()
        defer { certificates.remove() }
        let upstream = StallingUpstream(
            script: StallingUpstream.wholeAnswer(Self.answer), laterRequests: .answered, tls: try certificates.server(leaf))
        let base = try await upstream.start()
        let transport = EventLoopHTTPTransport(maxConnectionsPerHost: 4, additionalTrustRootFiles: trustTheCA ? [certificates.ca] : [])
        defer { Task { await upstream.stop() } }
        do {
            let response = try await transport.send(Self.request(base))
            Issue.record("answered \(response.status) although \(why)")
        } catch {
            guard case .connectionFailed(let endpoint, let detail) = error as? HTTPTransportError else {
                Issue.record("expected a connection failure, got \(error)")
                await transport.shutdown()
                return
            }
            #expect(detail.contains("TLS handshake failed"), "\(detail)")
            #expect(endpoint.contains("127.0.0.1"), "\(endpoint)")
        }
        #expect(upstream.requests == 0, "the request reached an upstream the client should not trust")
        await transport.shutdown()
    }
}
