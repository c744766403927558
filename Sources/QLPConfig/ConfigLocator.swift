import Foundation
import QLPCore

/// Where the config came from, for messages and `qlp doctor`.
public struct ConfigLocation: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        case flag
        case environment
        case xdgConfigHome
        case workingDirectory
        /// /etc/qlp/qlp.yaml: where a packaged service (the systemd unit) keeps it.
        case system
    }

    public var path: String
    public var origin: Origin

    public init(path: String, origin: Origin) {
        self.path = path
        self.origin = origin
    }
}

/// Finds and loads the config file: --config, then $QLP_CONFIG, then
/// $XDG_CONFIG_HOME/qlp/qlp.yaml (default ~/.config), then ./config/qlp.yaml,
/// then /etc/qlp/qlp.yaml. The system-wide file comes last so that a user's
/// own config (or a checkout's) is never shadowed by a service's.
public enum ConfigLoader {
    /// The system-wide config a service reads (contrib/systemd/qlp-gateway.service runs with no --config).
    public static let systemConfigPath = "/etc/qlp/qlp.yaml"

    /// - Parameter systemConfig: the system-wide file (``systemConfigPath``); tests point it into a scratch directory.
    public static func locate(
        flag: String?, environment: [String: String],
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        systemConfig: String = ConfigLoader.systemConfigPath
    ) throws(ConfigError) -> ConfigLocation {
        let files = FileManager.default
        if let flag {
            guard files.fileExists(atPath: flag) else { throw ConfigError(file: flag, message: "no such file (given with --config)") }
            return ConfigLocation(path: flag, origin: .flag)
        }
        if let path = environment["QLP_CONFIG"], !path.isEmpty {
            guard files.fileExists(atPath: path) else { throw ConfigError(file: path, message: "no such file (named by $QLP_CONFIG)") }
            return ConfigLocation(path: path, origin: .environment)
        }
        let xdgBase =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { $0 + "/.config" }
        var searched: [String] = []
        if let xdgBase {
            let path = xdgBase + "/qlp/qlp.yaml"
            if files.fileExists(atPath: path) { return ConfigLocation(path: path, origin: .xdgConfigHome) }
            searched.append(path)
        }
        let local = workingDirectory + "/config/qlp.yaml"
        if files.fileExists(atPath: local) { return ConfigLocation(path: local, origin: .workingDirectory) }
        searched.append(local)
        if files.fileExists(atPath: systemConfig) { return ConfigLocation(path: systemConfig, origin: .system) }
        searched.append(systemConfig)
        throw ConfigError(
            file: "qlp",
            message: "no config file found (looked at --config, $QLP_CONFIG, "
                + searched.joined(separator: ", ") + "); copy config/qlp.yaml from the qlp repository, or run `qlp demo`")
    }

    /// Loads and checks the file. `notify` is told (standard error by default)
    /// when the file came from the working directory, which nobody chose
    /// explicitly (a cloned repository can carry one), and of every warning.
    public static func load(
        _ location: ConfigLocation, environment: [String: String], requireAzure: Bool = true,
        notify: (String) -> Void = ConfigLoader.toStandardError
    ) throws(ConfigErrors) -> QLPConfiguration {
        if location.origin == .workingDirectory {
            notify(
                "qlp: using \(location.path), found in the working directory; pass --config or set $QLP_CONFIG "
                    + "to choose a config yourself")
        }
        let text: String
        do {
            text = try String(contentsOfFile: location.path, encoding: .utf8)
        } catch {
            throw ConfigErrors([ConfigError(file: location.path, message: "cannot read the file (\(Self.reason(error)))")])
        }
        let configuration = try ConfigParser(environment: environment, requireAzure: requireAzure).parse(yaml: text, file: location.path)
        for warning in configuration.warnings { notify(warning) }
        return configuration
    }

    public static func toStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        return ns.localizedFailureReason ?? ns.localizedDescription
    }
}
