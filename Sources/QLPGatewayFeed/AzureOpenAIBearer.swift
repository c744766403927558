import QLPAzure
import QLPCore
import QLPGateway

/// `azure_openai.auth: entra`: the gateway's upstream bearer, fed by an Azure
/// credential with tokens for Azure OpenAI's scope. The bearer refreshes it
/// in the background; requests read the token in hand.
public enum AzureOpenAIBearer {
    /// nil unless the section asks for Entra ID.
    public static func make(for azureOpenAI: AzureOpenAISettings?, credential: any TokenSource) -> UpstreamBearer? {
        guard azureOpenAI?.auth == .entra else { return nil }
        return UpstreamBearer {
            do throws(AzureError) {
                let token = try await credential.fetchToken(scope: AzureOpenAIAuth.scope)
                return UpstreamBearer.Token(value: token.token, expiresOn: token.expiresOn)
            } catch {
                // AzureError's description names the credential and endpoint, never a secret.
                throw BearerFetchFailure(description: error.description)
            }
        }
    }

    struct BearerFetchFailure: Error, CustomStringConvertible {
        var description: String
    }
}
