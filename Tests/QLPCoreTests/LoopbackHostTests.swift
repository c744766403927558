import QLPCore
import Testing

/// One rule for "this machine" that the listener check, the Host check and
/// the config's http:// rule share.
@Suite struct LoopbackHostTests {
    @Test func loopbackNamesAndAddressesInTheirSpellings() {
        for host in [
            "localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1",
            "::0:1", "::ffff:127.0.0.1",
        ] {
            #expect(LoopbackHost.contains(host), "\(host)")
        }
    }

    @Test func namesThatOnlyLookLikeLoopbackAreNot() {
        for host in [
            "0.0.0.0", "::", "127.0.0.1.evil.example", "localhost.evil.example", "evil-localhost", "128.0.0.1",
            "127.0.0.256", "127.0.0", "::2", "::ffff:10.0.0.1", "1::1", "", "[::1",
        ] {
            #expect(!LoopbackHost.contains(host), "\(host)")
        }
    }
}
