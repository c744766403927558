import Foundation
import QLPCore
import QLPStore
import Testing

@Suite struct KeyStoreTests {
    static let created = Date(timeIntervalSince1970: 1_800_000_000)

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func digest(_ fill: Character) -> String { String(repeating: fill, count: 64) }

    static func key(_ name: String, digest fill: Character = "a", limits: KeyLimits = KeyLimits(), expires: Date? = nil) -> VirtualKey {
        VirtualKey(name: name, digest: digest(fill), origin: .store, createdAt: created, expiresAt: expires, limits: limits)
    }

    @Test func aCreatedKeyReadsBackWithEveryLimit() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteKeyStore(path: dir + "/keys.sqlite")
        let limits = KeyLimits(
            requestsPerMinute: 60, tokensPerMinute: 40_000,
            budget: KeyBudget(amount: Decimal(string: "20")!, period: .week), routes: ["chat", "code"])
        let full = Self.key("mobile-app", limits: limits, expires: Self.created.addingTimeInterval(86_400))
        let bare = Self.key("batch", digest: "b")
        try store.create(full)
        try store.create(bare)
        // By name, whatever order they were made in.
        #expect(try store.keys() == [bare, full])
        #expect(try store.key(named: "mobile-app") == full)
        #expect(try store.key(named: "nobody") == nil)
        let read = try #require(try store.key(named: "batch"))
        #expect(read.limits == KeyLimits())
        #expect(read.expiresAt == nil && read.revokedAt == nil)
    }

    @Test func budgetAmountsComeBackExactly() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteKeyStore(path: dir + "/keys.sqlite")
        let amounts = ["0.05", "0.1", "12.345678901", "1000000000000.01"]
        for (index, text) in amounts.enumerated() {
            let amount = try #require(Money.parseAmount(text))
            try store.create(
                VirtualKey(
                    name: "k\(index)", digest: String(format: "%064x", index + 1), createdAt: Self.created,
                    limits: KeyLimits(budget: KeyBudget(amount: amount, period: .day))))
        }
        // Decimal equality, not a Double's nearest: 0.05 as a REAL would come back 0.05000000000000000277.
        let read = try store.keys().sorted { $0.name < $1.name }.map { $0.limits.budget?.amount }
        #expect(read == amounts.map { Money.parseAmount($0) })
        #expect(try store.key(named: "k0")?.limits.budget?.period == .day)
    }

    @Test func aNameIsTakenOnceEvenAfterRevoking() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteKeyStore(path: dir + "/keys.sqlite")
        try store.create(Self.key("app"))
        #expect(throws: KeyStoreError.duplicateName("app")) { try store.create(Self.key("app", digest: "b")) }
        _ = try store.revoke(named: "app", at: Self.created.addingTimeInterval(60))
        #expect(throws: KeyStoreError.duplicateName("app")) { try store.create(Self.key("app", digest: "c")) }
        #expect(try store.keys().count == 1)
    }

    @Test func revokingKeepsTheKeyListedAndIsOnceOnly() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteKeyStore(path: dir + "/keys.sqlite")
        try store.create(Self.key("app", limits: KeyLimits(requestsPerMinute: 5)))
        let at = Self.created.addingTimeInterval(3600)
        let revoked = try store.revoke(named: "app", at: at)
        #expect(revoked.revokedAt == at)
        #expect(revoked.limits.requestsPerMinute == 5)
        #expect(!revoked.isActive(at: at))
        #expect(try store.key(named: "app")?.revokedAt == at)
        #expect(throws: KeyStoreError.alreadyRevoked("app")) { try store.revoke(named: "app", at: at.addingTimeInterval(1)) }
        // The first revocation's time stands.
        #expect(try store.key(named: "app")?.revokedAt == at)
        #expect(throws: KeyStoreError.unknownKey("ghost")) { try store.revoke(named: "ghost", at: at) }
    }

    @Test func rotatingReplacesOnlyTheDigestAndARevokedKeyStaysRevoked() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteKeyStore(path: dir + "/keys.sqlite")
        let limits = KeyLimits(tokensPerMinute: 1000, budget: KeyBudget(amount: 3, period: .month), routes: ["chat"])
        let original = Self.key("app", limits: limits, expires: Self.created.addingTimeInterval(7 * 86_400))
        try store.create(original)
        let rotated = try store.rotate(named: "app", digest: Self.digest("F"), at: Self.created.addingTimeInterval(10))
        var expected = original
        expected.digest = Self.digest("f")
        #expect(rotated == expected)
        #expect(try store.key(named: "app") == expected)
        #expect(throws: KeyStoreError.unknownKey("ghost")) { try store.rotate(named: "ghost", digest: Self.digest("c"), at: Self.created) }
        _ = try store.revoke(named: "app", at: Self.created.addingTimeInterval(20))
        #expect(throws: KeyStoreError.alreadyRevoked("app")) {
            try store.rotate(named: "app", digest: Self.digest("d"), at: Self.created.addingTimeInterval(30))
        }
        #expect(try store.key(named: "app")?.digest == Self.digest("f"))
    }

    @Test func twoStoresOnOneFileSeeEachOthersChangesAndTheCountMoves() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try SQLiteKeyStore(path: dir + "/keys.sqlite")
        let reader = try SQLiteKeyStore(path: dir + "/keys.sqlite")
        var seen = try reader.changeCount()
        #expect(try writer.changeCount() == seen)

        func expectMoved(_ what: Comment) throws {
            let now = try reader.changeCount()
            #expect(now != seen, what)
            // The writer sees its own commit too (PRAGMA data_version would not).
            #expect(try writer.changeCount() == now, what)
            seen = now
        }
        try writer.create(Self.key("app"))
        try expectMoved("create")
        #expect(try reader.keys().map(\.name) == ["app"])
        _ = try writer.rotate(named: "app", digest: Self.digest("b"), at: Self.created)
        try expectMoved("rotate")
        #expect(try reader.key(named: "app")?.digest == Self.digest("b"))
        _ = try reader.revoke(named: "app", at: Self.created)
        try expectMoved("revoke by the other store")
        #expect(try writer.key(named: "app")?.revokedAt == Self.created)

        // A refused change commits nothing, so the count stays.
        #expect(throws: KeyStoreError.self) { try writer.create(Self.key("app", digest: "c")) }
        #expect(throws: KeyStoreError.self) { try writer.revoke(named: "app", at: Self.created) }
        #expect(try reader.changeCount() == seen)
        // And it survives reopening.
        #expect(try SQLiteKeyStore(path: dir + "/keys.sqlite").changeCount() == seen)
    }

    @Test func theFileIsTheOwnersAlone() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/state/keys.sqlite"
        let store = try SQLiteKeyStore(path: path)
        try store.create(Self.key("app"))
        for file in [path, path + "-wal"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
            #expect(mode & 0o777 == 0o600, "\(file): \(String(mode, radix: 8))")
        }
    }

    @Test func aFileThatCannotBeOpenedNamesItsPath() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A directory where the database should be.
        let path = dir + "/keys.sqlite"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        do throws(StoreError) {
            _ = try SQLiteKeyStore(path: path)
            Issue.record("opened a directory as the key store")
        } catch {
            #expect(error.path == path)
            #expect(error.description.contains("the key store"), "\(error)")
        }
    }
}
