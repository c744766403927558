import Crypto
import Foundation
import QLPCore
import _CryptoExtras

/// A certificate registered on the emulated app registration (Certificates &
/// secrets): its thumbprint picks it out of an assertion's `x5t`, and its
/// public key checks the assertion's RS256 signature.
public struct TrustedCertificate: Sendable {
    public let der: [UInt8]
    let publicKey: _RSA.Signing.PublicKey

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// From PEM text holding a CERTIFICATE block (a private key beside it is ignored).
    public init(pem: String) throws(Invalid) {
        let lines = pem.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN CERTIFICATE-----"),
            let end = lines[begin...].firstIndex(of: "-----END CERTIFICATE-----"),
            let der = Data(base64Encoded: lines[(begin + 1)..<end].joined())
        else {
            throw Invalid(description: "no -----BEGIN CERTIFICATE----- block")
        }
        try self.init(der: Array(der))
    }

    public init(der: [UInt8]) throws(Invalid) {
        guard let info = CertificateDER.subjectPublicKeyInfo(der) else {
            throw Invalid(description: "not an X.509 certificate (DER)")
        }
        do {
            publicKey = try _RSA.Signing.PublicKey(derRepresentation: info)
        } catch {
            throw Invalid(description: "the certificate's key is not RSA of 2048 bits or more")
        }
        self.der = der
    }

    /// The SHA-1 thumbprint, base64url, as a JWT's `x5t` carries it.
    var thumbprint: String { Base64URL.encode(Array(Insecure.SHA1.hash(data: der))) }

    func verifies(_ signature: [UInt8], over signingInput: String) -> Bool {
        publicKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature), for: Array(signingInput.utf8),
            padding: .insecurePKCS1v1_5)
    }
}

/// Just enough DER to find a certificate's SubjectPublicKeyInfo:
/// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version?, serial,
/// signature, issuer, validity, subject, subjectPublicKeyInfo, ... }, ... }.
/// (swift-asn1 would do it, but it is not a dependency qlp declares.)
enum CertificateDER {
    struct Element {
        var tag: UInt8
        var content: ArraySlice<UInt8>
        /// The whole element, tag and length included.
        var encoded: ArraySlice<UInt8>
    }

    static func subjectPublicKeyInfo(_ der: [UInt8]) -> [UInt8]? {
        guard let certificate = elements(der[...]).first, certificate.tag == 0x30,
            let tbs = elements(certificate.content).first, tbs.tag == 0x30
        else { return nil }
        var fields = elements(tbs.content)
        if fields.first?.tag == 0xA0 { fields.removeFirst() }  // [0] EXPLICIT version
        guard fields.count >= 6, fields[5].tag == 0x30 else { return nil }
        return Array(fields[5].encoded)
    }

    /// The elements one after another in `bytes`; stops at the first malformed one.
    static func elements(_ bytes: ArraySlice<UInt8>) -> [Element] {
        var result: [Element] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let start = i
            let tag = bytes[i]
            i += 1
            guard i < bytes.endIndex else { break }
            var length = Int(bytes[i])
            i += 1
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard count > 0, count <= 4, i + count <= bytes.endIndex else { break }
                length = bytes[i..<(i + count)].reduce(0) { $0 << 8 | Int($1) }
                i += count
            }
            guard length >= 0, i + length <= bytes.endIndex else { break }
            result.append(Element(tag: tag, content: bytes[i..<(i + length)], encoded: bytes[start..<(i + length)]))
            i += length
        }
        return result
    }
}
