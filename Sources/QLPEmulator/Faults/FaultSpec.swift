/// Faults written on a command line: `cost.query=status:500,retry-after:30`,
/// `token=latency:2000`, `cost.query=malformed`, `cost.query=html`, `cost.query=truncated`,
/// `cost.query=reset`, `cost.query=hang,count:2`;
/// for one Azure OpenAI deployment or Ollama model: `model:gpt4-deployment=status:503`.
public enum FaultSpec {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Several specs, one per endpoint (a later one for the same endpoint wins).
    public static func parseAll(_ texts: [String]) throws(ParseError) -> [EmulatedEndpoint: EndpointFault] {
        var faults: [EmulatedEndpoint: EndpointFault] = [:]
        for text in texts {
            let (endpoint, fault) = try parse(text)
            faults[endpoint] = fault
        }
        return faults
    }

    public static func parse(_ text: String) throws(ParseError) -> (EmulatedEndpoint, EndpointFault) {
        let parts = text.split(separator: "=", maxSplits: 1)
        let endpoints = EmulatedEndpoint.allCases.map(\.rawValue).joined(separator: ", ")
        guard parts.count == 2, let endpoint = EmulatedEndpoint(rawValue: String(parts[0])) else {
            throw ParseError(description: "fault '\(text)': expected ENDPOINT=SPEC with ENDPOINT one of \(endpoints)")
        }
        return (endpoint, try fault(String(parts[1]), in: text))
    }

    /// Whether a spec names a model (`model:NAME=SPEC`) rather than an endpoint.
    public static func isModelFault(_ text: String) -> Bool { text.hasPrefix("model:") }

    /// `model:NAME=SPEC`: a fault for one deployment or model.
    public static func parseModel(_ text: String) throws(ParseError) -> (model: String, fault: EndpointFault) {
        let parts = text.dropFirst("model:".count).split(separator: "=", maxSplits: 1)
        guard isModelFault(text), parts.count == 2, !parts[0].isEmpty else {
            throw ParseError(description: "fault '\(text)': expected model:NAME=SPEC, e.g. model:gpt4-deployment=status:503")
        }
        return (String(parts[0]), try fault(String(parts[1]), in: text))
    }

    private static func fault(_ spec: String, in text: String) throws(ParseError) -> EndpointFault {
        var fault = EndpointFault()
        for item in spec.split(separator: ",") {
            let kv = item.split(separator: ":", maxSplits: 1).map(String.init)
            func number() throws(ParseError) -> Int {
                guard kv.count == 2, let n = Int(kv[1]), n >= 0 else {
                    throw ParseError(description: "fault '\(text)': '\(item)' needs a whole number, e.g. \(kv[0]):500")
                }
                return n
            }
            func number(in range: ClosedRange<Int>, _ unit: String) throws(ParseError) -> Int {
                let n = try number()
                guard range.contains(n) else {
                    throw ParseError(description: "fault '\(text)': \(kv[0]) must be \(range.lowerBound) to \(range.upperBound) \(unit)")
                }
                return n
            }
            switch kv[0] {
            case "latency": fault.latencyMilliseconds = try number(in: EndpointFault.latencyRange, "milliseconds")
            case "status": fault.status = try number()
            case "retry-after": fault.retryAfterSeconds = try number(in: EndpointFault.retryAfterRange, "seconds")
            case "count": fault.remaining = try number()
            case "malformed": fault.malformedBody = true
            case "html": fault.wrongContentType = true
            case "retry-header":
                guard kv.count == 2, EndpointFault.retryHeaderNames.contains(kv[1]) else {
                    throw ParseError(
                        description: "fault '\(text)': retry-header takes one of \(EndpointFault.retryHeaderNames.joined(separator: ", "))")
                }
                fault.retryHeader = kv[1]
            case "truncated": fault.truncatedBody = true
            case "reset": fault.resetConnection = true
            case "hang": fault.hang = true
            default:
                throw ParseError(
                    description: "fault '\(text)': unknown '\(kv[0])'; use latency:MS, status:CODE, "
                        + "retry-after:S, retry-header:NAME, count:N, malformed, html, truncated, reset or hang")
            }
        }
        return fault
    }
}
