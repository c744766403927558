import Foundation
import QLPConfig
import QLPCore
import Testing

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }

/// A valid config whose total (and so its compute bucket) identifies which file was read.
private func config(total: Int) -> String {
    """
    budget:
      total: \(total)
      credit_start: 2026-10-01
      credit_expiry: 2027-09-30
      monthly: {amount: 1000}
      allocation:
        compute: {amount: \(total - 3000), services: [Virtual Machines]}
        azure_openai: {amount: 1500, services: [Azure AI Services]}
        databases_storage: {amount: 800, services: [Storage]}
        networking_security: {amount: 400, services: [Bandwidth]}
        monitoring_devops: {amount: 300, services: [Log Analytics]}

    """
}

/// A scratch directory removed when the test ends.
private final class Scratch {
    let root: String

    init() throws {
        root =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("qlp-config-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` at `relative` under the root and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite("Finding the config file")
struct ConfigLoaderTests {
    /// Every place has a file: flag, $QLP_CONFIG, $XDG_CONFIG_HOME, ./config.
    private func everywhere(_ scratch: Scratch) throws -> (flag: String, env: String, xdg: String, cwd: String) {
        let flag = try scratch.write("flag.yaml", config(total: 5001))
        let env = try scratch.write("env/qlp.yaml", config(total: 5002))
        try scratch.write("xdg/qlp/qlp.yaml", config(total: 5003))
        try scratch.write("home/.config/qlp/qlp.yaml", config(total: 5004))
        try scratch.write("work/config/qlp.yaml", config(total: 5005))
        return (flag, env, scratch.root + "/xdg", scratch.root + "/work")
    }

    @Test func flagWins() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let location = try ConfigLoader.locate(
            flag: paths.flag,
            environment: ["QLP_CONFIG": paths.env, "XDG_CONFIG_HOME": paths.xdg, "HOME": scratch.root + "/home"],
            workingDirectory: paths.cwd)
        #expect(location.path == paths.flag)
        #expect(location.origin == .flag)
        #expect(try ConfigLoader.load(location, environment: [:], requireAzure: false).budget.total == d("5001"))
    }

    @Test func missingFlagFileIsAnError() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let missing = scratch.root + "/nope.yaml"
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.locate(flag: missing, environment: ["QLP_CONFIG": paths.env], workingDirectory: paths.cwd)
        }
        #expect(error?.file == missing)
        #expect(error?.message.contains("--config") == true)
    }

    @Test func environmentVariableNext() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let location = try ConfigLoader.locate(
            flag: nil, environment: ["QLP_CONFIG": paths.env, "XDG_CONFIG_HOME": paths.xdg], workingDirectory: paths.cwd)
        #expect(location.path == paths.env)
        #expect(location.origin == .environment)
        #expect(try ConfigLoader.load(location, environment: [:], requireAzure: false).budget.total == d("5002"))
    }

    @Test func missingFileNamedByTheEnvironmentIsAnError() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let missing = scratch.root + "/env/missing.yaml"
        let error = #expect(throws: ConfigError.self) {
            // Not silently passed over for the XDG or working-directory files.
            try ConfigLoader.locate(
                flag: nil, environment: ["QLP_CONFIG": missing, "XDG_CONFIG_HOME": paths.xdg],
                workingDirectory: paths.cwd)
        }
        #expect(error?.file == missing)
        #expect(error?.message.contains("QLP_CONFIG") == true)
    }

    @Test func emptyEnvironmentVariableIsIgnored() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let location = try ConfigLoader.locate(
            flag: nil, environment: ["QLP_CONFIG": "", "XDG_CONFIG_HOME": paths.xdg],
            workingDirectory: paths.cwd)
        #expect(location.origin == .xdgConfigHome)
    }

    @Test func xdgConfigHomeThen() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let location = try ConfigLoader.locate(
            flag: nil, environment: ["XDG_CONFIG_HOME": paths.xdg, "HOME": scratch.root + "/home"], workingDirectory: paths.cwd)
        #expect(location.path == paths.xdg + "/qlp/qlp.yaml")
        #expect(location.origin == .xdgConfigHome)
        #expect(try ConfigLoader.load(location, environment: [:], requireAzure: false).budget.total == d("5003"))
    }

    @Test func xdgDefaultsToDotConfigInHome() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let location = try ConfigLoader.locate(
            flag: nil, environment: ["HOME": scratch.root + "/home"],
            workingDirectory: paths.cwd)
        #expect(location.path == scratch.root + "/home/.config/qlp/qlp.yaml")
        #expect(location.origin == .xdgConfigHome)
        #expect(try ConfigLoader.load(location, environment: [:], requireAzure: false).budget.total == d("5004"))
    }

    @Test func workingDirectoryLast() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let location = try ConfigLoader.locate(
            flag: nil, environment: ["XDG_CONFIG_HOME": scratch.root + "/elsewhere"],
            workingDirectory: paths.cwd)
        #expect(location.origin == .workingDirectory)
        // The file in the given working directory, whatever the process's own is.
        #expect(try ConfigLoader.load(location, environment: [:], requireAzure: false).budget.total == d("5005"))
    }

    @Test func systemConfigAfterTheWorkingDirectory() throws {
        let scratch = try Scratch()
        let paths = try everywhere(scratch)
        let system = try scratch.write("etc/qlp/qlp.yaml", config(total: 5006))
        // The working directory's file still wins over the system-wide one...
        let local = try ConfigLoader.locate(
            flag: nil, environment: ["XDG_CONFIG_HOME": scratch.root + "/elsewhere"],
            workingDirectory: paths.cwd, systemConfig: system)
        #expect(local.origin == .workingDirectory)
        // ...and with nothing closer, a service started without --config finds /etc/qlp/qlp.yaml.
        let location = try ConfigLoader.locate(
            flag: nil, environment: ["XDG_CONFIG_HOME": scratch.root + "/elsewhere"],
            workingDirectory: scratch.root + "/empty", systemConfig: system)
        #expect(location.origin == .system)
        #expect(location.path == system)
        #expect(try ConfigLoader.load(location, environment: [:], requireAzure: false).budget.total == d("5006"))
        #expect(ConfigLoader.systemConfigPath == "/etc/qlp/qlp.yaml")
    }

    @Test func nothingFoundListsWhereItLooked() throws {
        let scratch = try Scratch()
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.locate(
                flag: nil, environment: ["XDG_CONFIG_HOME": scratch.root + "/xdg"],
                workingDirectory: scratch.root + "/work", systemConfig: scratch.root + "/etc/qlp/qlp.yaml")
        }
        let message = try #require(error?.message)
        #expect(message.contains("--config"))
        #expect(message.contains("$QLP_CONFIG"))
        #expect(message.contains(scratch.root + "/xdg/qlp/qlp.yaml"))
        #expect(message.contains(scratch.root + "/work/config/qlp.yaml"))
        #expect(message.contains(scratch.root + "/etc/qlp/qlp.yaml"))
    }

    @Test func unreadableFileIsAConfigError() throws {
        let scratch = try Scratch()
        let directory = scratch.root + "/a-directory"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let location = try ConfigLoader.locate(flag: directory, environment: [:], workingDirectory: scratch.root)
        let error = #expect(throws: ConfigErrors.self) {
            try ConfigLoader.load(location, environment: [:])
        }
        #expect(error?.errors.first?.file == directory)
        #expect(error?.errors.first?.message.contains("cannot read") == true)
    }

    @Test func loadReportsErrorsWithThePath() throws {
        let scratch = try Scratch()
        let path = try scratch.write("bad.yaml", config(total: 5000).replacingOccurrences(of: "total: 5000", with: "total: lots"))
        let location = try ConfigLoader.locate(flag: path, environment: [:], workingDirectory: scratch.root)
        let error = #expect(throws: ConfigErrors.self) {
            try ConfigLoader.load(location, environment: [:], requireAzure: false)
        }
        #expect(error?.errors.first?.file == path)
        #expect(error?.errors.first?.line == 2)
        #expect(error?.errors.first?.key == "budget.total")
    }

    @Test func scratchDirectoriesAreRemoved() throws {
        var root = ""
        do {
            let scratch = try Scratch()
            root = scratch.root
            try scratch.write("x/y.yaml", "a: 1")
            #expect(FileManager.default.fileExists(atPath: root + "/x/y.yaml"))
        }
        #expect(!FileManager.default.fileExists(atPath: root))
    }
}
