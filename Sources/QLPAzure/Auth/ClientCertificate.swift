import Crypto
import Foundation
import QLPCore
import _CryptoExtras

/// A service principal's certificate as AZURE_CLIENT_CERTIFICATE_PATH names
/// it: one PEM file with the RSA private key and the certificate. The key
/// signs client assertions; the certificate's SHA-1 thumbprint (`x5t`) tells
/// Entra ID which of the app's registered certificates to check them against.
public struct ClientCertificate: Sendable {
    public let privateKey: _RSA.Signing.PrivateKey
    /// The certificate, DER.
    public let certificate: [UInt8]

    /// Why a PEM file is not a usable certificate credential; names the file, never its content.
    public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var problem: String
        public var description: String { "\(path): \(problem)" }
    }

    public init(privateKey: _RSA.Signing.PrivateKey, certificate: [UInt8]) {
        self.privateKey = privateKey
        self.certificate = certificate
    }

    /// Reads the PEM at `path`. An encrypted key (AZURE_CLIENT_CERTIFICATE_PASSWORD)
    /// is not supported: it is refused with what to do instead.
    public static func load(path: String) throws(LoadError) -> ClientCertificate {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LoadError(path: path, problem: "cannot read it: \((error as NSError).localizedDescription)")
        }
        return try parse(pem: text, path: path)
    }

    static func parse(pem text: String, path: String) throws(LoadError) -> ClientCertificate {
        let blocks = PEMBlock.all(in: text)
        if blocks.contains(where: { $0.label == "ENCRYPTED PRIVATE KEY" }) {
            throw LoadError(
                path: path,
                problem: "the private key is encrypted, and AZURE_CLIENT_CERTIFICATE_PASSWORD is not supported: "
                    + "export it unencrypted (openssl pkey -in key.pem -out plain.pem) into a file only qlp's user can read")
        }
        guard let key = blocks.first(where: { $0.label == "PRIVATE KEY" || $0.label == "RSA PRIVATE KEY" }) else {
            throw LoadError(
                path: path, problem: "no private key (-----BEGIN PRIVATE KEY-----) in the PEM; it needs the key and the certificate")
        }
        guard let certificate = blocks.first(where: { $0.label == "CERTIFICATE" }) else {
            throw LoadError(
                path: path, problem: "no certificate (-----BEGIN CERTIFICATE-----) in the PEM; it needs the key and the certificate")
        }
        let privateKey: _RSA.Signing.PrivateKey
        do {
            privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: key.pem)
        } catch {
            throw LoadError(path: path, problem: "the private key is not an RSA key of 2048 bits or more (Entra ID signs with RS256)")
        }
        return ClientCertificate(privateKey: privateKey, certificate: certificate.der)
    }

    /// The certificate's SHA-1 thumbprint, base64url: the assertion's `x5t`.
    public var thumbprint: String { Base64URL.encode(Array(Insecure.SHA1.hash(data: certificate))) }
}

/// One -----BEGIN X----- ... -----END X----- block of a PEM file.
struct PEMBlock: Sendable {
    var label: String
    var der: [UInt8]
    /// The block as text again, for parsers that take PEM.
    var pem: String

    static func all(in text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var body = ""
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst("-----BEGIN ".count).dropLast(5))
                body = ""
            } else if line.hasPrefix("-----END "), let open = label {
                if let der = Data(base64Encoded: body) {
                    blocks.append(
                        PEMBlock(
                            label: open, der: Array(der),
                            pem: "-----BEGIN \(open)-----\n\(body)\n-----END \(open)-----\n"))
                }
                label = nil
            } else if label != nil, !line.contains(":") {  // headers such as Proc-Type: carry no base64
                body += line
            }
        }
        return blocks
    }
}
