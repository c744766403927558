import Foundation
import QLPConfig
import QLPCore
import Testing

/// A minimal budget (lines 1-23) and a mongodb_atlas section from line 24.
private let budget = ConfigFixture.budget

private func atlasConfig(_ adminAPI: [String]) -> String {
    budget + (["mongodb_atlas:", "  databases:", "    vectors: qlp-vectors"] + adminAPI).joined(separator: "\n") + "\n"
}

private func parse(_ yaml: String, _ environment: [String: String] = [:]) throws(ConfigErrors) -> QLPConfiguration {
    try ConfigParser(environment: environment, requireAzure: false).parse(yaml: yaml, file: "test.yaml")
}

private func errors(_ yaml: String, _ environment: [String: String] = [:]) -> [ConfigError] {
    do {
        _ = try parse(yaml, environment)
        return []
    } catch {
        return error.errors
    }
}

private let fromEnvironment = [
    "  admin_api:",  // 27
    "    org_id: \"${ATLAS_ORG_ID:-}\"",  // 28
    "    public_key: \"${ATLAS_PUBLIC_KEY:-}\"",  // 29
    "    private_key: \"${ATLAS_PRIVATE_KEY:-}\"",  // 30
]

@Suite("Config: mongodb_atlas.admin_api")
struct AtlasAdminAPIConfigTests {
    @Test func fullKeyWithDefaultBaseURL() throws {
        let config = try parse(
            atlasConfig(fromEnvironment),
            [
                "ATLAS_ORG_ID": "6530f0a1e0b2c3d4e5f60718",
                "ATLAS_PUBLIC_KEY": "abcdefgh",
                "ATLAS_PRIVATE_KEY": "a:b:c-private",
            ])
        let api = try #require(config.mongodbAtlas?.adminAPI)
        #expect(api.orgID == "6530f0a1e0b2c3d4e5f60718")
        #expect(api.publicKey == "abcdefgh")
        #expect(api.privateKey.reveal() == "a:b:c-private")
        #expect(api.baseURL == "https://cloud.mongodb.com")
        #expect(!"\(api)".contains("a:b:c-private"))
        #expect(config.mongodbAtlas?.databases == ["vectors": "qlp-vectors"])
    }

    @Test func baseURLIsTrimmed() throws {
        let config = try parse(
            atlasConfig([
                "  admin_api:", "    org_id: o1", "    public_key: p1", "    private_key: s1",
                "    base_url: http://127.0.0.1:9000/",
            ]))
        #expect(config.mongodbAtlas?.adminAPI?.baseURL == "http://127.0.0.1:9000")
    }

    @Test func allEmptyMeansNotConfigured() throws {
        let config = try parse(atlasConfig(fromEnvironment))
        #expect(config.mongodbAtlas != nil)
        #expect(config.mongodbAtlas?.adminAPI == nil)
        #expect(try parse(atlasConfig([])).mongodbAtlas?.adminAPI == nil)
    }

    @Test func partlyEmptyNamesTheEmptyKey() {
        let found = errors(atlasConfig(fromEnvironment), ["ATLAS_PUBLIC_KEY": "abcdefgh"])
        #expect(found.map(\.key) == ["mongodb_atlas.admin_api.org_id", "mongodb_atlas.admin_api.private_key"])
        #expect(found.map(\.line) == [28, 30])
        #expect(found.allSatisfy { $0.message.contains("must not be empty") })
    }

    @Test func missingKeyIsNamedWithItsSectionLine() {
        let found = errors(atlasConfig(["  admin_api:", "    org_id: o1", "    public_key: p1"]))
        #expect(found.count == 1)
        #expect(found.first?.key == "mongodb_atlas.admin_api.private_key")
        #expect(found.first?.line == 27)
        #expect(found.first?.message.contains("missing") == true)
    }

    @Test func unknownKeysAreErrors() {
        let found = errors(
            atlasConfig([
                "  admin_api:", "    org_id: o1", "    public_key: p1", "    private_key: s1",
                "    privat_key: s2",
            ]))
        #expect(found.map(\.key) == ["mongodb_atlas.admin_api.privat_key"])
        #expect(found.first?.line == 31)
        #expect(found.first?.message.contains("unknown key") == true)
        let top = errors(atlasConfig(["  admin: {}"]))
        #expect(top.map(\.key) == ["mongodb_atlas.admin"])
    }

    @Test func unsetVariableWithoutFallbackIsNamed() {
        let found = errors(
            atlasConfig([
                "  admin_api:", "    org_id: o1", "    public_key: p1",
                "    private_key: \"${ATLAS_PRIVATE_KEY}\"",
            ]))
        #expect(found.map(\.key) == ["mongodb_atlas.admin_api.private_key"])
        #expect(found.first?.message.contains("ATLAS_PRIVATE_KEY") == true)
    }
}
