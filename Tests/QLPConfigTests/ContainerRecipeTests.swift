import Foundation
import QLPCore
import Testing

/// Issue 16, item 5: contrib/Containerfile builds `qlp gateway` into a
/// multi-stage, non-root image with the Swift runtime linked in. No registry
/// is reachable here to build it, so these check the recipe against what the
/// rest of the repository says: the libraries scripts/install-deps builds
/// with are the ones the image carries at run time, and the ports and user
/// are the gateway's and the Kubernetes example's.
@Suite struct ContainerRecipeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// The instructions of each stage, continuation lines joined and comments dropped.
    static func stages() throws -> [[String]] {
        var stages: [[String]] = []
        var pending = ""
        for raw in try text("contrib/Containerfile").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || (line.isEmpty && pending.isEmpty) { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let instruction = pending + line
            pending = ""
            if instruction.isEmpty { continue }
            if instruction.hasPrefix("FROM ") { stages.append([]) }
            if !stages.isEmpty { stages[stages.count - 1].append(instruction) }
        }
        return stages
    }

    /// The Debian packages scripts/install-deps installs.
    static func buildPackages() throws -> [String] {
        let script = try text("scripts/install-deps")
        let list = try #require(
            script.range(of: "packages=(").flatMap { start in
                script[start.upperBound...].range(of: "\n)").map { script[start.upperBound..<$0.lowerBound] }
            })
        return list.split(separator: "\n").compactMap { $0.split(separator: "#").first?.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    @Test func itBuildsInOneStageAndRunsTheStaticBinaryInAnother() throws {
        let stages = try Self.stages()
        #expect(stages.count == 2, "\(stages.count) stages")
        let build = stages.first?.joined(separator: "\n") ?? ""
        #expect(build.contains(". scripts/release-flags"))
        #expect(build.contains(#"swift build -c release "${RELEASE_BUILD_FLAGS[@]}" --product qlp"#))
        let flags = try Self.text("scripts/release-flags")
        #expect(flags.contains("RELEASE_BUILD_FLAGS=(--static-swift-stdlib"), "the image's binary carries the Swift runtime")
        #expect(build.contains("strip"))
        let run = stages.last ?? []
        #expect(run.contains { $0.hasPrefix("COPY --from=build") && $0.contains("/qlp") })
        #expect(!run.joined().contains("swift "), "the toolchain is not in the image that runs")
    }

    /// Each C library qlp builds against (a -dev package) is in the image at run time, under its runtime name.
    @Test func theRuntimeStageCarriesEveryLibraryTheBuildLinks() throws {
        let stages = try Self.stages()
        let build = stages.first?.joined(separator: " ") ?? ""
        let run = stages.last?.joined(separator: " ") ?? ""
        let runtimeName = ["libcurl4-openssl-dev": "libcurl4", "libncurses-dev": "libncursesw6", "libsqlite3-dev": "libsqlite3-0"]
        let developmentPackages = try Self.buildPackages().filter { $0.hasSuffix("-dev") }
        #expect(!developmentPackages.isEmpty)
        for package in developmentPackages {
            #expect(build.contains(package), "the build stage does not install \(package)")
            let runtime = try #require(runtimeName[package], "scripts/install-deps builds with \(package): name its runtime package here")
            #expect(run.contains(" \(runtime) "), "the image lacks \(runtime) (for \(package))")
        }
        // The billing time zone (Europe/London) and Azure's TLS.
        #expect(run.contains(" tzdata") && run.contains(" ca-certificates "))
    }

    @Test func itRunsTheGatewayUnprivilegedOnItsOwnPorts() throws {
        let run = try #require(Self.stages().last)
        let user = try #require(run.last { $0.hasPrefix("USER ") })
        let uid = Int(user.dropFirst("USER ".count).split(separator: ":").first ?? "")
        #expect(uid != nil && uid != 0, "the image runs as \(user): a numeric, non-root user lets Kubernetes check runAsNonRoot")
        let settings = GatewaySettings()
        let exposed = run.filter { $0.hasPrefix("EXPOSE ") }.flatMap { $0.split(separator: " ").dropFirst().compactMap { Int($0) } }
        #expect(Set(exposed) == [settings.port, settings.adminPort], "EXPOSE \(exposed)")
        #expect(run.contains("ENTRYPOINT [\"/usr/local/bin/qlp\"]"))
        #expect(run.contains { $0.hasPrefix("CMD [\"gateway\"") && $0.contains("--log-format") })
        #expect(run.contains("STOPSIGNAL SIGTERM"), "SIGTERM is what drains")
    }

    @Test func noSecretIsBakedIntoALayer() throws {
        let instructions = try Self.stages().flatMap { $0 }.filter { $0.hasPrefix("ENV ") || $0.hasPrefix("ARG ") }
        for instruction in instructions {
            let upper = instruction.uppercased()
            #expect(!["KEY", "TOKEN", "SECRET", "PASSWORD"].contains { upper.contains($0) }, "\(instruction)")
        }
        // The build context leaves out a host's build products (gigabytes, for another machine's paths).
        let ignored = try Self.text(".dockerignore").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(ignored.contains(".build") && ignored.contains("Package.resolved"))
    }
}
