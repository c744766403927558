import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPHTTP
import Testing

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }
private func day(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }

extension EmulatorHarness {
    /// The real Atlas client on the real libcurl transport, pointed at the emulator.
    fileprivate func atlas(publicKey: String? = nil, privateKey: String? = nil, pageSize: Int = 100) -> AtlasBillingClient {
        let configuration = emulator.configuration
        return AtlasBillingClient(
            transport: transport, baseURL: base, orgID: configuration.atlasOrgID,
            publicKey: publicKey ?? configuration.atlasPublicKey,
            privateKey: Secret(privateKey ?? configuration.atlasPrivateKey), timeout: .seconds(10),
            pageSize: pageSize)
    }

    fileprivate var atlasInvoicesURL: String { "\(base)/api/atlas/v2/orgs/\(emulator.configuration.atlasOrgID)/invoices" }
}

/// The thrown AzureError, or nil (and a failed expectation) when the call succeeded.
private func atlasError<T>(_ call: () async throws(AzureError) -> T) async -> AzureError? {
    do {
        _ = try await call()
        Issue.record("expected an AzureError")
        return nil
    } catch {
        return error
    }
}

/// MongoDB Atlas billing over the emulator: digest auth through libcurl,
/// invoices, paging, credit use, faults.
@Suite struct AtlasBillingTests {
    @Test func digestChallengeThenAuthenticatedRoundTrip() async throws {
        try await withHarness { h in
            let configuration = h.emulator.configuration
            let accept: HTTPHeaders = ["Accept": AtlasBillingClient.acceptHeader]
            // No credentials: the challenge, as Atlas sends it.
            let bare = try await h.transport.send(HTTPRequest(url: "\(h.atlasInvoicesURL)/pending", headers: accept))
            #expect(bare.status == 401)
            let challenge = try #require(bare.headers["WWW-Authenticate"])
            #expect(challenge.hasPrefix(#"Digest realm="MMS Public API", domain="", nonce=""#))
            #expect(challenge.contains(#"algorithm=MD5, qop="auth", stale=false"#))
            #expect(bare.bodyText.contains(#""errorCode":"UNAUTHORIZED""#))

            // libcurl answers the challenge itself.
            var request = HTTPRequest(url: "\(h.atlasInvoicesURL)/pending", headers: accept)
            request.authentication = .digest(user: configuration.atlasPublicKey, password: configuration.atlasPrivateKey)
            let answered = try await h.transport.send(request)
            #expect(answered.status == 200)
            #expect(answered.bodyText.contains(#""statusName":"PENDING""#))

            // The versioned Accept header is required.
            var unversioned = request
            unversioned.headers = ["Accept": "application/json"]
            let refused = try await h.transport.send(unversioned)
            #expect(refused.status == 406)
        }
    }

    @Test func passwordsNeverPrint() {
        var request = HTTPRequest(url: "https://cloud.mongodb.com/api/atlas/v2/orgs/x/invoices?pageNum=1")
        request.authentication = .digest(user: "qlpdemok", password: "top:secret:value")
        var dumped = ""
        dump(request, to: &dumped)
        for text in [
            request.description, String(reflecting: request), "\(request)", dumped,
            "\(request.authentication!)", String(reflecting: request.authentication!),
        ] {
            #expect(!text.contains("top:secret"), "\(text)")
        }
        #expect(request.description == "GET https://cloud.mongodb.com/api/atlas/v2/orgs/x/invoices (0 headers, 0 body bytes, digest auth)")
        #expect(request.authentication?.description == "digest(user: qlpdemok, password: <redacted>)")
    }

    @Test func wrongKeyIsRefusedWithTheRemedyAndNoSecretInTheText() async throws {
        try await withHarness { h in
            let wrongKey = "wrong-private-key-5f1e2d"
            for client in [h.atlas(privateKey: wrongKey), h.atlas(publicKey: "notakey1")] {
                let error = try #require(await atlasError { () async throws(AzureError) in try await client.pendingInvoice() })
                guard case .http(let service, let endpoint, let status, let code, let message, _) = error else {
                    Issue.record("expected .http, got \(error)")
                    continue
                }
                #expect(service == "MongoDB Atlas")
                #expect(endpoint == "\(h.atlasInvoicesURL)/pending")
                #expect(status == 401)
                #expect(code == "UNAUTHORIZED")
                #expect(message?.contains("You are not authorized for this resource") == true)
                let text = error.description
                #expect(text.contains("check mongodb_atlas.admin_api public_key/private_key"))
                #expect(text.contains("Organization Billing Viewer"))
                #expect(error.summary == "HTTP 401 UNAUTHORIZED")
                // Neither key nor any digest hash (32 hex digits) is quoted.
                for secret in [wrongKey, h.emulator.configuration.atlasPrivateKey] {
                    #expect(!text.contains(secret))
                    #expect(!String(reflecting: error).contains(secret))
                }
                #expect(!text.contains(/[0-9a-f]{32}/), "\(text)")
                #expect(!text.lowercased().contains("response="))
            }
        }
    }

    @Test func pendingAndClosedInvoicesDecode() async throws {
        try await withHarness { h in
            let client = h.atlas()
            let pending = try await client.pendingInvoice()
            #expect(pending.isPending)
            #expect(pending.orgID == h.emulator.configuration.atlasOrgID)
            #expect(pending.period == DayRange(day("2026-11-01"), day("2026-11-30")))
            #expect(pending.creditsCents == 0)
            // Complete days only: 1..25 November, seven SKUs a day.
            #expect(pending.lineItems.count == 25 * 7)
            #expect(pending.lineItems.map(\.totalPriceCents).reduce(0, +) == pending.subtotalCents)
            #expect(pending.subtotalDollars == Decimal(pending.subtotalCents) / 100)
            #expect(pending.amountBilledCents == pending.subtotalCents + pending.salesTaxCents - pending.startingBalanceCents)
            let skus = Set(pending.lineItems.map(\.sku))
            #expect(
                skus.isSuperset(of: [
                    "ATLAS_AWS_INSTANCE_M10", "ATLAS_AWS_INSTANCE_M20", "ATLAS_AWS_DATA_TRANSFER_INTERNET",
                    "ATLAS_AWS_BACKUP_SNAPSHOT_STORAGE",
                ]))
            let m20 = try #require(pending.lineItems.first { $0.sku == "ATLAS_AWS_INSTANCE_M20" })
            #expect(m20.clusterName == "qlp-prod")
            #expect(m20.groupName == "QuantumLayer Platform")
            #expect(m20.quantity == 24)
            #expect(m20.unit == "server hours")
            #expect(m20.unitPriceDollars == d("0.20"))
            #expect(m20.totalPriceCents == 480)
            #expect(m20.totalPriceDollars == d("4.8"))
            for item in pending.lineItems {
                #expect((item.quantity * item.unitPriceDollars * 100).rounded(scale: 0) == Decimal(item.totalPriceCents))
            }

            // One invoice per page: the client follows the pages to the end.
            let all = try await h.atlas(pageSize: 1).invoices()
            #expect(all.map(\.statusName) == ["PENDING", "CLOSED"])
            #expect(all.first?.id == pending.id)
            let october = try #require(all.last)
            #expect(october.period == DayRange(day("2026-10-01"), day("2026-10-31")))
            #expect(october.lineItems.isEmpty, "the list has no line items")
            #expect(october.creditsCents == october.subtotalCents, "credits cover October in full")
            #expect(october.amountPaidCents == 0)
            #expect(try await client.invoices().map(\.id) == all.map(\.id))

            let detailed = try await client.invoice(id: october.id)
            #expect(detailed.lineItems.count == 31 * 7)
            #expect(detailed.lineItems.map(\.totalPriceCents).reduce(0, +) == october.subtotalCents)
            // An M20 and an M10 for a month, plus transfer and backup: a few hundred dollars.
            #expect(october.subtotalDollars > 200 && october.subtotalDollars < 260, "\(october.subtotalDollars)")
        }
    }

    @Test func creditUseAgainstTheFiveHundredPoundGrant() async throws {
        try await withHarness { h in
            let client = h.atlas()
            let closed = try await client.invoices().map(\.creditTotals)
            let pending = try await client.pendingInvoice()
            var plan = try EmulatorHarness.examplePlan()
            let today = CivilDate(EmulatorHarness.clock, in: TimeZone(identifier: "UTC")!)

            // The example config sets no USD rate: refused, naming the key to set.
            do throws(AtlasCreditError) {
                _ = try AtlasCreditUse.compute(closed: closed, pending: pending.creditTotals, plan: plan, today: today)
                Issue.record("expected the missing rate to be refused")
            } catch {
                #expect(error == .missingExchangeRate(budgetCurrency: "GBP"))
                #expect(error.description.contains("budget.exchange_rates.USD"))
            }

            plan.exchangeRates["USD"] = d("0.79")
            let use = try AtlasCreditUse.compute(closed: closed, pending: pending.creditTotals, plan: plan, today: today)
            let october = try #require(closed.first { !$0.isPending })
            #expect(use.grant.amount == 500)
            #expect(use.invoices.map(\.basis) == [.creditsApplied, .pendingSubtotal])
            #expect(use.usedCents == october.creditsCents + pending.subtotalCents)
            #expect(use.usedUSD == Decimal(october.creditsCents + pending.subtotalCents) / 100)
            #expect(use.used == use.usedUSD * d("0.79"))
            #expect(use.remaining == 500 - use.used)
            #expect(use.rate.description == "0.79 GBP per USD (budget.exchange_rates.USD)")
            #expect(use.burn?.days == 56)
            // About £175 a month against £500 for a year: it runs out within weeks, long before expiry.
            guard case .projected(let on, let beforeExpiry) = use.exhaustion else {
                Issue.record("expected a projected exhaustion, got \(use.exhaustion)")
                return
            }
            #expect(beforeExpiry)
            #expect(on > today && on < day("2027-02-01"), "\(on)")
        }
    }

    @Test func throttledWithRetryAfter() async throws {
        try await withHarness { h in
            h.emulator.faults.set(EndpointFault(status: 429, retryAfterSeconds: 17, remaining: 1), for: .atlasInvoices)
            let client = h.atlas()
            let error = await atlasError { () async throws(AzureError) in try await client.pendingInvoice() }
            #expect(error == .throttled(service: "MongoDB Atlas", endpoint: "\(h.atlasInvoicesURL)/pending", retryAfter: .seconds(17)))
            // The fault was for one request; the next call goes through.
            let pending = try await client.pendingInvoice()
            #expect(pending.isPending)
        }
    }

    @Test func malformedBodyIsReported() async throws {
        try await withHarness { h in
            // A digest call is two HTTP requests (challenge, answer): the fault covers both.
            h.emulator.faults.set(EndpointFault(malformedBody: true, remaining: 2), for: .atlasInvoices)
            let client = h.atlas()
            let error = try #require(await atlasError { () async throws(AzureError) in try await client.invoices() })
            guard case .malformedResponse(let service, _, let status, let detail, let excerpt) = error else {
                Issue.record("expected .malformedResponse, got \(error)")
                return
            }
            #expect(service == "MongoDB Atlas")
            #expect(status == 200)
            #expect(detail.contains("not valid JSON"))
            #expect(excerpt.hasPrefix(#"{"links":"#))
            #expect(!error.description.contains(h.emulator.configuration.atlasPrivateKey))
            #expect(try await client.invoices().count == 2)
        }
    }

    @Test func keysWithColonsAndTheWrongOrganisation() async throws {
        var configuration = EmulatorConfiguration(
            world: CostWorld(seed: 7, firstDay: EmulatorHarness.firstDay),
            clock: { EmulatorHarness.clock })
        configuration.atlasPrivateKey = "pa:ss:w0rd"
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }
        do {
            let client = AtlasBillingClient(
                transport: transport, baseURL: base + "/", orgID: configuration.atlasOrgID,
                publicKey: configuration.atlasPublicKey, privateKey: Secret("pa:ss:w0rd"),
                timeout: .seconds(10))
            #expect(try await client.pendingInvoice().orgID == configuration.atlasOrgID)

            var elsewhere = client
            elsewhere.orgID = "000000000000000000000000"
            let error = await atlasError { () async throws(AzureError) in try await elsewhere.pendingInvoice() }
            #expect(
                error
                    == .http(
                        service: "MongoDB Atlas", endpoint: "\(base)/api/atlas/v2/orgs/000000000000000000000000/invoices/pending",
                        status: 404, code: "ORG_NOT_FOUND", message: "No organization with ID 000000000000000000000000 exists."))
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}
