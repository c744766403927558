/// Replaces `${NAME}` and `${NAME:-fallback}` in config values.
///
/// Substitution runs on each scalar after YAML parsing, so errors keep the
/// line of the value and a value from the environment can never change the
/// document's structure.
struct EnvironmentSubstitution: Sendable {
    var environment: [String: String]

    enum Failure: Error, Equatable {
        case unset(name: String)
        case malformed(detail: String)
    }

    func apply(_ text: String) throws(Failure) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[rest.startIndex..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw .malformed(detail: "'${' without a closing '}'")
            }
            let inner = rest[start.upperBound..<end]
            let name: Substring
            let fallback: Substring?
            if let sep = inner.range(of: ":-") {
                name = inner[inner.startIndex..<sep.lowerBound]
                fallback = inner[sep.upperBound...]
            } else {
                name = inner
                fallback = nil
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw .malformed(detail: "'${\(inner)}' is not a valid environment variable reference")
            }
            if let value = environment[String(name)], !value.isEmpty {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                throw .unset(name: String(name))
            }
            rest = rest[rest.index(after: end)...]
        }
        out += rest
        return out
    }
}
