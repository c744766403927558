import Testing

@testable import QLPEmulator

/// The emulator's MD5 (swift-crypto's, through the hex form Digest uses) and the HTTP Digest arithmetic the Atlas route checks.
@Suite("Atlas digest: MD5 and RFC 7616")
struct AtlasDigestMD5Tests {
    /// RFC 1321 appendix A.5, the test suite.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func rfc1321TestSuite(input: String, expected: String) {
        #expect(MD5.hex(input) == expected)
    }

    /// Lengths around the padding boundaries (55, 56, 63, 64, 65 bytes) and
    /// several blocks, and multi-byte UTF-8; values from Python's hashlib.
    @Test func paddingBoundariesAndUTF8() {
        let a = { (n: Int) in String(repeating: "a", count: n) }
        #expect(MD5.hex(a(55)) == "ef1772b6dff9a122358552954ad0df65")
        #expect(MD5.hex(a(56)) == "3b0c8ac703f828b04c6c197006d17218")
        #expect(MD5.hex(a(63)) == "b06521f39153d618550606be297466d5")
        #expect(MD5.hex(a(64)) == "014842d480b571495a4a0363793f7367")
        #expect(MD5.hex(a(65)) == "c743a45e0d2e6a95cb859adae0248435")
        #expect(MD5.hex(a(1000)) == "cabe45dcc9ae5b66ba86600cca6b8ba8")
        #expect(MD5.hex("£500 credit") == "dae5451dbb2bd3196ee0a5087e1afaac")
    }

    /// RFC 2617 section 3.5's worked example (qop=auth, MD5), which RFC 7616 keeps.
    @Test func rfc2617WorkedExample() {
        let response = AtlasDigest.response(
            user: "Mufasa", password: "Circle Of Life", realm: "testrealm@host.com",
            method: "GET", uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            nc: "00000001", cnonce: "0a4f113b", qop: "auth")
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test func authorizationParameters() {
        let fields = AtlasDigest.parameters(
            #"username="qlpdemok", realm="MMS Public API", nonce="abc", uri="/api/atlas/v2/orgs/x/invoices?pageNum=1&itemsPerPage=100", cnonce="Y2Q=", nc=00000001, qop=auth, response="0123", algorithm=MD5, opaque="a, \"quoted\" b""#
        )
        #expect(fields["username"] == "qlpdemok")
        #expect(fields["realm"] == "MMS Public API")
        #expect(fields["uri"] == "/api/atlas/v2/orgs/x/invoices?pageNum=1&itemsPerPage=100")
        #expect(fields["nc"] == "00000001")
        #expect(fields["qop"] == "auth")
        #expect(fields["algorithm"] == "MD5")
        #expect(fields["opaque"] == #"a, "quoted" b"#)
    }

    @Test func noncesAreSelfChecking() {
        let nonce = AtlasDigest.makeNonce()
        #expect(AtlasDigest.isOurs(nonce))
        #expect(!AtlasDigest.isOurs(String(nonce.dropLast()) + (nonce.last == "0" ? "1" : "0")))
        #expect(!AtlasDigest.isOurs("dcd98b7102dd2f0e8b11d0f600bfb0c093"))
        let challenge = AtlasDigest.challengeHeader()
        #expect(challenge.hasPrefix(#"Digest realm="MMS Public API", domain="", nonce=""#))
        #expect(challenge.hasSuffix(#"algorithm=MD5, qop="auth", stale=false"#))
    }
}
