import Foundation
import QLPConfig
import QLPCore
import Testing
import Yams

/// Issue 16, item 5: contrib/kubernetes runs `qlp gateway` on the seed's AKS
/// with workload identity, probes and resources. No cluster here: these check
/// that the manifests say what `qlp gateway` needs (the config in the
/// ConfigMap is one qlp accepts; ports, probes and the grace period match
/// what the gateway does), so that an edit to either side that breaks the
/// other fails here rather than on a cluster.
@Suite struct KubernetesExampleTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let directory = repository.appendingPathComponent("contrib/kubernetes")

    /// Every document in a manifest file.
    static func documents(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        var sequence = try Yams.load_all(yaml: text)
        var documents: [[String: Any]] = []
        while let document = sequence.next() { documents.append(try #require(document as? [String: Any], "\(file)")) }
        // The sequence ends at a parse error too, and keeps it.
        if let error = sequence.error { throw error }
        return documents
    }

    static func document(_ file: String, kind: String, name: String? = nil) throws -> [String: Any] {
        try #require(
            documents(file).first { doc in
                doc["kind"] as? String == kind && (name == nil || (doc["metadata"] as? [String: Any])?["name"] as? String == name)
            }, "no \(kind) \(name ?? "") in \(file)")
    }

    /// What the pods' environment gives the config: the workload identity webhook's variables and the
    /// Deployment's. Placeholder identifiers, and the two secrets made up for each run.
    static let podEnvironment = [
        "AZURE_TENANT_ID": "00000000-0000-0000-0000-000000000001", "AZURE_SUBSCRIPTION_ID": "00000000-0000-0000-0000-000000000000",
        "AZURE_CLIENT_ID": "00000000-0000-0000-0000-000000000002",
        "AZURE_FEDERATED_TOKEN_FILE": "/var/run/secrets/azure/tokens/azure-identity-token",
        "QLP_ADMIN_TOKEN": UUID().uuidString + UUID().uuidString, "QLP_REDIS_PASSWORD": UUID().uuidString,
        "QLP_REPLICA_NAME": "qlp-gateway-7d9f-abcde",
    ]

    static func gatewayConfig() throws -> QLPConfiguration {
        let map = try document("configmap.yaml", kind: "ConfigMap")
        let data = try #require(map["data"] as? [String: Any])
        let text = try #require(data["qlp.yaml"] as? String)
        return try ConfigParser(environment: podEnvironment).parse(yaml: text, file: "contrib/kubernetes/configmap.yaml")
    }

    static func container() throws -> [String: Any] {
        let containers = try #require(podSpec()["containers"] as? [[String: Any]])
        return try #require(containers.first)
    }

    static func podSpec() throws -> [String: Any] {
        let deployment = try document("deployment.yaml", kind: "Deployment")
        return try #require(((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
    }

    @Test func theConfigMapsConfigIsOneQLPAcceptsForAKS() throws {
        let config = try Self.gatewayConfig()
        #expect(config.azure?.credential == .workloadIdentity)
        #expect(config.azureOpenAI?.auth == .entra)
        #expect(config.azureOpenAI?.apiKey == nil, "with Entra ID there is no key to keep")
        #expect(config.fleet?.redisURL.reveal().hasPrefix("rediss://") == true, "Azure Cache for Redis takes TLS only")
        #expect(config.fleet?.replicaName == "qlp-gateway-7d9f-abcde")
        #expect(config.dashboard.stateDirectory == "/var/lib/qlp")
        #expect(config.gateway.adminToken?.reveal() == Self.podEnvironment["QLP_ADMIN_TOKEN"])
        #expect(config.warnings.isEmpty, "\(config.warnings)")
    }

    @Test func itsBudgetAndRoutesAreTheRepositorysConfig() throws {
        let repositoryConfig = try ConfigLoader.load(
            ConfigLocation(path: Self.repository.appendingPathComponent("config/qlp.yaml").path, origin: .flag),
            environment: Self.podEnvironment.merging(["AZURE_OPENAI_API_KEY": "k"]) { a, _ in a }, notify: { _ in })
        let config = try Self.gatewayConfig()
        #expect(config.budget == repositoryConfig.budget, "the ConfigMap's budget differs from config/qlp.yaml's")
        #expect(config.routing == repositoryConfig.routing, "the ConfigMap's routing differs from config/qlp.yaml's")
    }

    @Test func thePortsAndProbesAreTheGatewaysOwn() throws {
        let config = try Self.gatewayConfig()
        #expect(
            config.gateway.host == "0.0.0.0" && config.gateway.adminHost == "0.0.0.0",
            "a loopback listener cannot be reached by the Service or the kubelet")
        let container = try Self.container()
        let ports = try #require(container["ports"] as? [[String: Any]])
        let byName = Dictionary(
            uniqueKeysWithValues: ports.compactMap { port in
                (port["name"] as? String).flatMap { name in (port["containerPort"] as? Int).map { (name, $0) } }
            })
        #expect(byName["http"] == config.gateway.port && byName["admin"] == config.gateway.adminPort)
        func probePath(_ key: String) -> String? {
            ((container[key] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String
        }
        #expect(probePath("livenessProbe") == "/healthz" && probePath("startupProbe") == "/healthz")
        // Readiness is the one that turns 503 while the pod drains or its route store is unreadable.
        #expect(probePath("readinessProbe") == "/readyz")
        let args = try #require(container["args"] as? [String])
        #expect(args.starts(with: ["gateway"]) && args.contains("--log-format"))
    }

    @Test func thePodIsGivenTimeToDrainBeforeItIsKilled() throws {
        let config = try Self.gatewayConfig()
        let grace = try #require(Self.podSpec()["terminationGracePeriodSeconds"] as? Int)
        let preStop =
            (((try Self.container()["lifecycle"] as? [String: Any])?["preStop"] as? [String: Any])?["sleep"]
            as? [String: Any])?["seconds"] as? Int ?? 0
        #expect(
            Duration.seconds(grace) > config.gateway.drainTimeout + .seconds(preStop),
            "SIGKILL would come before the drain (\(config.gateway.drainTimeout)) and preStop (\(preStop)s) end")
    }

    @Test func itRunsWithWorkloadIdentityAndNoSecretInTheManifests() throws {
        let pod = try Self.podSpec()
        let deployment = try Self.document("deployment.yaml", kind: "Deployment")
        let labels =
            (((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["metadata"] as? [String: Any])?["labels"]
            as? [String: Any]
        #expect(labels?["azure.workload.identity/use"] as? String == "true", "the webhook injects nothing without this label")
        let account = try Self.document("serviceaccount.yaml", kind: "ServiceAccount")
        #expect(pod["serviceAccountName"] as? String == (account["metadata"] as? [String: Any])?["name"] as? String)
        let annotations = (account["metadata"] as? [String: Any])?["annotations"] as? [String: Any]
        #expect(annotations?["azure.workload.identity/client-id"] is String)
        // Secrets come from a Secret the operator creates, by reference; none is written in a manifest.
        let env = try #require(Self.container()["env"] as? [[String: Any]])
        for name in ["QLP_ADMIN_TOKEN", "QLP_REDIS_PASSWORD"] {
            let entry = env.first { $0["name"] as? String == name }
            #expect(entry?["value"] == nil && (entry?["valueFrom"] as? [String: Any])?["secretKeyRef"] != nil, "\(name)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
        #expect(!files.contains { $0.lowercased().contains("secret") }, "a Secret manifest invites a committed secret")
    }

    @Test func itRunsAsTheImagesUnprivilegedUserOnAReadOnlyRoot() throws {
        let pod = try Self.podSpec()
        let security = try #require(pod["securityContext"] as? [String: Any])
        #expect(security["runAsNonRoot"] as? Bool == true)
        let containerfile = try String(contentsOf: Self.repository.appendingPathComponent("contrib/Containerfile"), encoding: .utf8)
        #expect(containerfile.contains("USER \(security["runAsUser"] as? Int ?? -1):"), "the pod's user is not the image's")
        let container = try Self.container()
        let containerSecurity = try #require(container["securityContext"] as? [String: Any])
        #expect(containerSecurity["readOnlyRootFilesystem"] as? Bool == true)
        #expect(containerSecurity["allowPrivilegeEscalation"] as? Bool == false)
        #expect((containerSecurity["capabilities"] as? [String: Any])?["drop"] as? [String] == ["ALL"])
        // With the root read-only, the state directory must be a mounted volume.
        let mounts = try #require(container["volumeMounts"] as? [[String: Any]])
        #expect(mounts.contains { $0["mountPath"] as? String == (try? Self.gatewayConfig().dashboard.stateDirectory) })
        let resources = try #require(container["resources"] as? [String: Any])
        #expect(resources["requests"] != nil && resources["limits"] != nil)
    }

    @Test func theImageTagIsTheReleasesVersion() throws {
        let kustomization = try #require(Self.documents("kustomization.yaml").first)
        let images = try #require(kustomization["images"] as? [[String: Any]])
        let version = try String(contentsOf: Self.repository.appendingPathComponent("VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(images.first?["newTag"] as? String == version, "bump contrib/kubernetes/kustomization.yaml's newTag with VERSION")
        let resources = try #require(kustomization["resources"] as? [String])
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(resources) == Set(files).subtracting(["kustomization.yaml"]), "a manifest kustomize does not apply")
    }
}
