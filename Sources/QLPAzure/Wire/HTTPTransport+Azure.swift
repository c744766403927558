import QLPHTTP

extension HTTPTransport {
    /// Sends a request on behalf of an Azure service, turning a transport
    /// failure into an `AzureError` that names the service (a request
    /// ``ThrottlingTransport`` held back into `.throttled`, with its reason).
    /// Every request goes out traced (``AzureRequestTrace``).
    func send(_ request: HTTPRequest, for service: String) async throws(AzureError) -> HTTPResponse {
        do {
            return try await send(AzureRequestTrace.tagged(request))
        } catch let error as HTTPTransportError {
            throw .transport(service: service, error)
        } catch let hold as ThrottleHold {
            throw .throttled(service: service, endpoint: request.endpoint, retryAfter: hold.wait, reason: hold.reason)
        } catch is CancellationError {
            throw .transport(service: service, .cancelled(endpoint: request.endpoint))
        } catch {
            throw .transport(
                service: service, .transferFailed(endpoint: request.endpoint, breakage: .other(curlCode: nil), detail: "\(error)"))
        }
    }
}
