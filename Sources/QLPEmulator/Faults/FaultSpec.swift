/// Faults written on a command line: `cost.query=status:500,retry-after:30`,
/// `token=latency:2000`, `cost.query=malformed`, `cost.query=html`, `cost.query=hang,count:2`.
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
        var fault = EndpointFault()
        for item in parts[1].split(separator: ",") {
            let kv = item.split(separator: ":", maxSplits: 1).map(String.init)
            func number() throws(ParseError) -> Int {
                guard kv.count == 2, let n = Int(kv[1]), n >= 0 else {
                    throw ParseError(description: "fault '\(text)': '\(item)' needs a whole number, e.g. \(kv[0]):500")
                }
                return n
            }
            switch kv[0] {
            case "latency": fault.latencyMilliseconds = try number()
            case "status": fault.status = try number()
            case "retry-after": fault.retryAfterSeconds = try number()
            case "count": fault.remaining = try number()
            case "malformed": fault.malformedBody = true
            case "html": fault.wrongContentType = true
            case "retry-header":
                guard kv.count == 2, EndpointFault.retryHeaderNames.contains(kv[1]) else {
                    throw ParseError(description: "fault '\(text)': retry-header takes one of \(EndpointFault.retryHeaderNames.joined(separator: ", "))")
                }
                fault.retryHeader = kv[1]
            case "hang": fault.hang = true
            default:
                throw ParseError(description: "fault '\(text)': unknown '\(kv[0])'; use latency:MS, status:CODE, "
                    + "retry-after:S, retry-header:NAME, count:N, malformed, html or hang")
            }
        }
        return (endpoint, fault)
    }
}
