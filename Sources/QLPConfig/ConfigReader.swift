import Foundation
import QLPCore
import Yams

/// A YAML node and the dotted key path that leads to it.
struct ConfigValue {
    let node: Node
    let path: [String]
    /// The key this value sits under, whose line names a section better than
    /// the section's first entry does.
    var keyNode: Node? = nil

    var keyPath: String { path.joined(separator: ".") }
    var line: Int? { node.mark?.line }
    var column: Int? { node.mark?.column }

    func child(_ key: String, _ node: Node, keyNode: Node? = nil) -> ConfigValue {
        ConfigValue(node: node, path: path + [key], keyNode: keyNode)
    }
}

/// A mapping's entries in file order, with the line of each key.
struct ConfigMapping {
    let value: ConfigValue
    let entries: [(key: String, keyNode: Node, value: ConfigValue)]

    subscript(key: String) -> ConfigValue? { entries.first { $0.key == key }?.value }
    var keys: [String] { entries.map(\.key) }
}

/// Reads typed values out of a YAML tree, collecting every problem with its
/// file, line and key instead of stopping at the first, so one run of qlp
/// tells the user everything that is wrong.
final class ConfigReader {
    let file: String
    let substitution: EnvironmentSubstitution
    let home: String?
    /// QLP_ALLOW_CUSTOM_ENDPOINTS is set: endpoints beyond Azure's clouds are
    /// accepted, each with a warning (see ``EndpointKind``).
    let customEndpointsAllowed: Bool
    private(set) var errors: [ConfigError] = []
    /// What is allowed but should be said out loud (an endpoint outside Azure's clouds).
    private(set) var warnings: [ConfigError] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.substitution = EnvironmentSubstitution(environment: environment)
        self.home = environment["HOME"]
        let allow = environment[EndpointKind.allowCustomVariable]?.lowercased()
        customEndpointsAllowed = ["1", "true", "yes"].contains(allow ?? "")
    }

    func warn(_ value: ConfigValue, _ message: String) {
        warnings.append(ConfigError(file: file, line: value.line, column: value.column, key: value.keyPath, message: message))
    }

    func fail(_ value: ConfigValue, _ message: String, fix: ConfigError.Fix? = nil) {
        fail(at: value.node, path: value.path, message, fix: fix)
    }

    /// A problem with a whole section: located at the section's key.
    func failSection(_ value: ConfigValue, _ message: String) {
        fail(at: value.keyNode ?? value.node, path: value.path, message)
    }

    func fail(at node: Node, path: [String], _ message: String, fix: ConfigError.Fix? = nil) {
        // The document itself has no key: "file:1:1: message", not "file:1:1: : message".
        errors.append(
            ConfigError(
                file: file, line: node.mark?.line, column: node.mark?.column,
                key: path.isEmpty ? nil : path.joined(separator: "."), message: message, fix: fix))
    }

    // MARK: - Structure

    /// The value as a mapping whose keys are all in `allowed`; unknown keys are
    /// errors (a typo must not silently become a default).
    func mapping(_ value: ConfigValue, allowed: [String]? = nil) -> ConfigMapping? {
        guard case .mapping(let mapping) = value.node else {
            fail(value, "expected a section of key: value pairs, found \(describe(value.node))")
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: ConfigValue)] = []
        for (keyNode, child) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                fail(at: keyNode, path: value.path, "keys must be plain words, found \(describe(keyNode))")
                continue
            }
            let key = scalar.string
            if let allowed, !allowed.contains(key) {
                fail(
                    at: keyNode, path: value.path + [key],
                    "unknown key; expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            // The value's own line is more useful, but an empty value has none.
            entries.append((key, keyNode, value.child(key, child, keyNode: keyNode)))
        }
        return ConfigMapping(value: value, entries: entries)
    }

    /// A key that must be present (and not null).
    func required(_ mapping: ConfigMapping, _ key: String) -> ConfigValue? {
        guard let value = mapping[key], !isNull(value.node) else {
            let what = mapping[key] == nil ? "is missing" : "has no value"
            let section = mapping.value.keyNode?.mark
            errors.append(
                ConfigError(
                    file: file, line: mapping[key]?.line ?? section?.line ?? mapping.value.line,
                    column: mapping[key]?.column ?? section?.column ?? mapping.value.column,
                    key: (mapping.value.path + [key]).joined(separator: "."),
                    message: "required key \(what)"))
            return nil
        }
        return value
    }

    /// A key that may be absent; null counts as absent.
    func optional(_ mapping: ConfigMapping, _ key: String) -> ConfigValue? {
        guard let value = mapping[key], !isNull(value.node) else { return nil }
        return value
    }

    func sequence(_ value: ConfigValue) -> [ConfigValue]? {
        guard case .sequence(let sequence) = value.node else {
            fail(value, "expected a list, found \(describe(value.node))")
            return nil
        }
        return sequence.enumerated().map { ConfigValue(node: $0.element, path: value.path + ["[\($0.offset)]"]) }
    }

    // MARK: - Scalars

    /// The scalar's text after ${ENV} substitution.
    func string(_ value: ConfigValue, secret: Bool = false) -> String? {
        guard case .scalar(let scalar) = value.node else {
            fail(value, "expected a single value, found \(describe(value.node))")
            return nil
        }
        do {
            return try substitution.apply(scalar.string)
        } catch {
            switch error {
            case .unset(let name):
                fail(
                    value, "environment variable \(name) is not set (write ${\(name):-fallback} to allow a fallback)",
                    fix: .setEnvironmentVariable(name))
            case .malformed(let detail):
                fail(value, secret ? "malformed ${...} reference" : detail)
            }
            return nil
        }
    }

    func nonEmptyString(_ value: ConfigValue) -> String? {
        guard let text = string(value) else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(value, "must not be empty")
            return nil
        }
        return text
    }

    /// A secret written in the file or in ${ENV}; never a keyvault:// reference,
    /// for the fields (the Azure client secret) that Key Vault cannot supply.
    func secret(_ value: ConfigValue) -> Secret? {
        guard let text = string(value, secret: true) else { return nil }
        if KeyVaultReference.isReference(text) {
            fail(
                value,
                "cannot come from Key Vault (qlp needs it to reach Key Vault): use ${ENV}, "
                    + "or credential: managed_identity or azure_cli")
            return nil
        }
        return Secret(text)
    }

    /// A secret, or a keyvault://vault/secret[/version] reference that qlp
    /// resolves at start-up; a malformed reference is refused here, with its line.
    func secretOrVaultReference(_ value: ConfigValue) -> Secret? {
        guard let text = string(value, secret: true) else { return nil }
        if KeyVaultReference.isReference(text) {
            do {
                _ = try KeyVaultReference.parse(text)
            } catch {
                fail(value, error.description)
                return nil
            }
        }
        return Secret(text)
    }

    func decimal(_ value: ConfigValue, example: String = "2000.00") -> Decimal? {
        guard let text = string(value) else { return nil }
        guard let amount = Money.parseAmount(text) else {
            fail(
                value,
                "expected a plain number such as \(example), found '\(excerpt(text))'"
                    + (text.contains(",") || text.contains("£") ? " (write it without currency symbols or thousands separators)" : ""))
            return nil
        }
        return amount
    }

    func nonNegativeDecimal(_ value: ConfigValue, example: String = "2000.00") -> Decimal? {
        guard let amount = decimal(value, example: example) else { return nil }
        guard amount >= 0 else {
            fail(value, "must not be negative")
            return nil
        }
        return amount
    }

    func int(_ value: ConfigValue) -> Int? {
        guard let text = string(value) else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
            fail(value, "expected a whole number, found '\(excerpt(text))'")
            return nil
        }
        return number
    }

    func bool(_ value: ConfigValue) -> Bool? {
        guard let text = string(value) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(value, "expected true or false, found '\(excerpt(text))'")
            return nil
        }
    }

    func date(_ value: ConfigValue) -> CivilDate? {
        guard let text = string(value) else { return nil }
        guard let day = CivilDate(iso8601: text.trimmingCharacters(in: .whitespaces)) else {
            fail(value, "expected a date as YYYY-MM-DD, found '\(excerpt(text))'")
            return nil
        }
        return day
    }

    /// "250ms", "30s", "5m", "1h", "1h30m".
    func duration(_ value: ConfigValue) -> Duration? {
        guard let text = string(value) else { return nil }
        guard let parsed = DurationText.parse(text) else {
            fail(value, "expected a duration such as 30s, 5m or 1h, found '\(excerpt(text))'")
            return nil
        }
        return parsed
    }

    func choice<T: RawRepresentable>(_ value: ConfigValue, _: T.Type) -> T? where T.RawValue == String, T: CaseIterable {
        guard let text = string(value) else { return nil }
        guard let parsed = T(rawValue: text) else {
            fail(value, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), found '\(excerpt(text))'")
            return nil
        }
        return parsed
    }

    func stringList(_ value: ConfigValue) -> [String]? {
        guard let items = sequence(value) else { return nil }
        return items.compactMap { nonEmptyString($0) }
    }

    func stringMap(_ value: ConfigValue) -> [String: String]? {
        guard let mapping = mapping(value) else { return nil }
        var out: [String: String] = [:]
        for entry in mapping.entries {
            if let text = string(entry.value) { out[entry.key] = text }
        }
        return out
    }

    /// A file path with `~/` expanded.
    func path(_ value: ConfigValue) -> String? {
        guard let text = nonEmptyString(value) else { return nil }
        if text.hasPrefix("~/"), let home { return home + text.dropFirst() }
        return text
    }

    // MARK: - Helpers

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return isNull(node) ? "nothing" : "the value '\(excerpt(scalar.string))'"
        case .mapping: return "a section of key: value pairs"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private func excerpt(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
