import Foundation
import QLPAzure
import QLPCore
import QLPTestSupport
import Synchronization
import Testing

/// The Azure CLI credential against a stand-in `az` (a shell script on a
/// private PATH) that answers as the real one does.
@Suite struct AzureCLICredentialTests {
    /// A directory holding an executable `az` with `body` as its script; removed by `remove()`.
    struct FakeCLI {
        let directory: String

        init(_ body: String) throws {
            directory = NSTemporaryDirectory() + "qlp-az-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/az"
            try ExecutableScript.write(body, to: path)
        }

        var credential: AzureCLICredential {
            AzureCLICredential(timeout: .seconds(5), environment: ["PATH": directory + ":/usr/bin:/bin", "HOME": directory])
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Made up per run, so no token-shaped literal sits in the repository.
    static let token = "fake-cli-token-" + UUID().uuidString

    @Test func expiresOnIsReadAndTheResourceIsTheScopeWithoutDefault() async throws {
        // The script records its arguments, so the test sees what qlp asked for.
        let cli = try FakeCLI(
            """
            echo "$@" > "$HOME/args"
            echo '{"accessToken":"\(Self.token)","expiresOn":"2026-11-26 18:42:05.000000","expires_on":1795718525,"subscription":"s1","tenant":"t1","tokenType":"Bearer"}'
            """)
        defer { cli.remove() }
        let token = try await cli.credential.fetchToken(scope: "https://management.azure.com/.default")
        #expect(token.token.reveal() == Self.token)
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_795_718_525))
        let args = try String(contentsOfFile: cli.directory + "/args", encoding: .utf8)
        #expect(
            args.trimmingCharacters(in: .whitespacesAndNewlines)
                == "account get-access-token --output json --resource https://management.azure.com/")
    }

    @Test func anOlderCLIsLocalExpiresOnIsRead() async throws {
        let cli = try FakeCLI(#"echo '{"accessToken":"t","expiresOn":"2026-11-26 18:42:05.000000","tokenType":"Bearer"}'"#)
        defer { cli.remove() }
        let token = try await cli.credential.fetchToken(scope: "https://vault.azure.net/.default")
        // Local time without a zone, as older az prints it.
        let components = DateComponents(
            calendar: Calendar(identifier: .gregorian), timeZone: .current,
            year: 2026, month: 11, day: 26, hour: 18, minute: 42, second: 5)
        #expect(token.expiresOn == components.date)
    }

    @Test func notLoggedInIsUnavailableWithTheRemedy() async throws {
        let cli = try FakeCLI(#"echo "ERROR: Please run 'az login' to setup account." >&2; exit 1"#)
        defer { cli.remove() }
        await #expect(throws: AzureError.credentialUnavailable(detail: "the Azure CLI is not logged in: run `az login`")) {
            _ = try await cli.credential.fetchToken(scope: "https://management.azure.com/.default")
        }
    }

    @Test func anAADSTSRefusalCarriesItsCodeButNotAzsText() async throws {
        let cli = try FakeCLI(
            #"echo "ERROR: AADSTS700082: The refresh token has expired due to inactivity. secret-ish-detail" >&2; exit 1"#)
        defer { cli.remove() }
        do {
            _ = try await cli.credential.fetchToken(scope: "https://management.azure.com/.default")
            Issue.record("a refusal must throw")
        } catch {
            guard case .authentication(let failure) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(failure.code == 700082)
            #expect(!error.description.contains("secret-ish-detail"))
        }
    }

    @Test func garbageOnStdoutIsMalformedWithoutQuotingIt() async throws {
        let cli = try FakeCLI("echo 'accessToken=\(Self.token)'")
        defer { cli.remove() }
        do {
            _ = try await cli.credential.fetchToken(scope: "https://management.azure.com/.default")
            Issue.record("garbage must throw")
        } catch {
            guard case .malformedResponse = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(!error.description.contains(Self.token))
        }
    }

    @Test func noCLIOnPathIsUnavailableSoAChainMovesOn() async throws {
        let missing = AzureCLICredential(environment: ["PATH": "/nonexistent"])
        await #expect(throws: AzureError.credentialUnavailable(detail: "the Azure CLI (az) is not installed or not on PATH")) {
            _ = try await missing.fetchToken(scope: "https://management.azure.com/.default")
        }
        let cli = try FakeCLI(#"echo '{"accessToken":"from-cli","expires_on":1795718525}'"#)
        defer { cli.remove() }
        let chain = ChainedCredential([("Azure CLI (missing)", missing), ("Azure CLI", cli.credential)])
        #expect(try await chain.fetchToken(scope: "https://management.azure.com/.default").token.reveal() == "from-cli")
        // A source that is there but refuses stops the chain: a misconfiguration is not hidden by a fallback.
        let refusing = try FakeCLI(#"echo "AADSTS7000215: Invalid client secret provided." >&2; exit 1"#)
        defer { refusing.remove() }
        await #expect(throws: AzureError.self) {
            _ = try await ChainedCredential([("refusing", refusing.credential), ("Azure CLI", cli.credential)])
                .fetchToken(scope: "https://management.azure.com/.default")
        }
    }

    @Test func aHungCLIIsStoppedAtTheTimeout() async throws {
        let cli = try FakeCLI("sleep 30")
        defer { cli.remove() }
        let credential = AzureCLICredential(timeout: .seconds(1), environment: ["PATH": cli.directory + ":/usr/bin:/bin"])
        let started = ContinuousClock.now
        await #expect(throws: AzureError.credentialUnavailable(detail: "the Azure CLI did not answer within 1 s")) {
            _ = try await credential.fetchToken(scope: "https://management.azure.com/.default")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    /// A source that is not available here, counting how often it was asked.
    final class Unavailable: TokenSource {
        let asked = Mutex(0)
        func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
            asked.withLock { $0 += 1 }
            throw .credentialUnavailable(detail: "no IMDS here")
        }
    }

    @Test func theChainRemembersTheSourceThatWorked() async throws {
        let cli = try FakeCLI(#"echo '{"accessToken":"from-cli","expires_on":1795718525}'"#)
        defer { cli.remove() }
        let probe = Unavailable()
        let chain = ChainedCredential([("managed identity", probe), ("Azure CLI", cli.credential)])
        #expect(chain.workingSource == nil)
        for scope in [
            "https://management.azure.com/.default", "https://metrics.monitor.azure.com/.default", "https://vault.azure.net/.default",
        ] {
            #expect(try await chain.fetchToken(scope: scope).token.reveal() == "from-cli")
        }
        #expect(probe.asked.withLock { $0 } == 1, "the probe that failed is not retried for every scope")
        #expect(chain.workingSource == "Azure CLI")
    }
}
