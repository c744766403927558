import Foundation
import Hummingbird
import QLPCore

/// GET /api/atlas/v2/orgs/{orgId}/invoices, …/invoices/pending and
/// …/invoices/{invoiceId}: the MongoDB Atlas Administration API's billing
/// endpoints, with its HTTP Digest authentication, its versioned Accept
/// header, its paging ({results, totalCount, links}) and its error body
/// ({detail, error, errorCode, parameters, reason}).
///
/// Authentication is `.none` to the responder: Atlas does not take bearer
/// tokens, so the route checks the digest itself. Faults apply to each
/// HTTP request, and a digest call is two of them (the challenge, then the
/// answer), so a fault meant for the answer needs `count:2` or no count.
struct AtlasInvoicesRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.atlasInvoices
    let authentication = RouteAuthentication.none

    static let prefix = ["api", "atlas", "v2", "orgs"]

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .get && (r.lower.count == 6 || r.lower.count == 7) && Array(r.lower.prefix(4)) == Self.prefix
            && r.lower[5] == "invoices"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        let configuration = context.configuration
        if let refused = AtlasDigest.check(r, user: configuration.atlasPublicKey, password: configuration.atlasPrivateKey) {
            return refused
        }
        guard let accept = r.headers["accept"], accept.contains("application/vnd.atlas.") else {
            return AtlasReply.error(
                status: 406, code: "INVALID_VERSION_DATE", reason: "Not Acceptable",
                detail: "Invalid accept header or version date.")
        }
        let orgID = r.segments[4]
        guard orgID == configuration.atlasOrgID else {
            return AtlasReply.error(
                status: 404, code: "ORG_NOT_FOUND", reason: "Not Found",
                detail: "No organization with ID \(orgID) exists.", parameters: [orgID])
        }
        let invoices = AtlasInvoiceWorld(world: configuration.world, creditCents: configuration.atlasCreditCents)
            .invoices(at: context.now)
        let base = "\(context.state.baseURL)/api/atlas/v2/orgs/\(orgID)/invoices"
        if r.lower.count == 7 {
            let wanted = r.lower[6]
            let found = wanted == "pending" ? invoices.last : invoices.first { $0.id == r.segments[6] }
            guard let invoice = found else {
                return AtlasReply.error(
                    status: 404, code: "INVOICE_NOT_FOUND", reason: "Not Found",
                    detail: "Invoice \(r.segments[6]) not found.", parameters: [r.segments[6]])
            }
            return EmulatorReply.json(AtlasReply.invoice(invoice, orgID: orgID, base: base, lineItems: true, now: context.now))
        }
        return list(invoices.reversed(), query: r.query, orgID: orgID, base: base, now: context.now)
    }

    /// Newest first, as Atlas lists them; pageNum from 1, itemsPerPage 1...500 (default 100).
    private func list(
        _ invoices: [EmulatedAtlasInvoice], query: [String: String], orgID: String, base: String,
        now: Date
    ) -> EmulatedResponse {
        let pageNumber = query["pageNum"].map { Int($0) } ?? 1
        let perPage = query["itemsPerPage"].map { Int($0) } ?? 100
        guard let pageNumber, pageNumber >= 1, let perPage, (1...500).contains(perPage) else {
            return AtlasReply.error(
                status: 400, code: "INVALID_QUERY_PARAMETER", reason: "Bad Request",
                detail: "pageNum must be at least 1 and itemsPerPage between 1 and 500.")
        }
        let start = min(invoices.count, (pageNumber - 1) * perPage)
        let page = invoices[start..<min(invoices.count, start + perPage)]
        var links: [JSONText] = [AtlasReply.link("\(base)?pageNum=\(pageNumber)&itemsPerPage=\(perPage)", rel: "self")]
        if pageNumber > 1 {
            links.append(AtlasReply.link("\(base)?pageNum=\(pageNumber - 1)&itemsPerPage=\(perPage)", rel: "previous"))
        }
        if start + perPage < invoices.count {
            links.append(AtlasReply.link("\(base)?pageNum=\(pageNumber + 1)&itemsPerPage=\(perPage)", rel: "next"))
        }
        return EmulatorReply.json(
            .object([
                ("links", .array(links)),
                ("results", .array(page.map { AtlasReply.invoice($0, orgID: orgID, base: base, lineItems: false, now: now) })),
                ("totalCount", .number(invoices.count)),
            ]))
    }
}

/// Atlas's JSON shapes.
enum AtlasReply {
    /// {"detail", "error", "errorCode", "parameters", "reason"}.
    static func error(
        status: Int, code: String, reason: String, detail: String, parameters: [String] = [],
        headers: [(String, String)] = []
    ) -> EmulatedResponse {
        EmulatorReply.json(
            .object([
                ("detail", .string(detail)),
                ("error", .number(status)),
                ("errorCode", .string(code)),
                ("parameters", .array(parameters.map(JSONText.string))),
                ("reason", .string(reason)),
            ]), status: status, headers: headers)
    }

    static func link(_ href: String, rel: String) -> JSONText {
        .object([("href", .string(href)), ("rel", .string(rel))])
    }

    static func instant(_ day: CivilDate) -> String { "\(day.iso8601)T00:00:00Z" }

    static func invoice(_ invoice: EmulatedAtlasInvoice, orgID: String, base: String, lineItems: Bool, now: Date) -> JSONText {
        let end = invoice.month.adding(months: 1)
        var members: [(String, JSONText)] = [
            ("amountBilledCents", .number(invoice.amountBilledCents)),
            ("amountPaidCents", .number(invoice.amountPaidCents)),
            ("created", .string(instant(invoice.month))),
            ("creditsCents", .number(invoice.creditsCents)),
            ("endDate", .string(instant(end))),
            ("id", .string(invoice.id)),
        ]
        if lineItems {
            members.append(
                (
                    "lineItems",
                    .array(
                        invoice.lineItems.map { item in
                            var fields: [(String, JSONText)] = []
                            if let cluster = item.clusterName { fields.append(("clusterName", .string(cluster))) }
                            fields += [
                                ("created", .string(instant(item.day.adding(days: 1)))),
                                ("discountCents", .number(0)),
                                ("endDate", .string(instant(item.day.adding(days: 1)))),
                                ("groupId", .string(item.groupID)),
                                ("groupName", .string(item.groupName)),
                                ("quantity", .number(item.quantity)),
                                ("sku", .string(item.sku)),
                                ("startDate", .string(instant(item.day))),
                                ("totalPriceCents", .number(item.totalPriceCents)),
                                ("unit", .string(item.unit)),
                                ("unitPriceDollars", .number(item.unitPriceDollars)),
                            ]
                            return .object(fields)
                        })
                ))
        }
        members += [
            ("linkedInvoices", .array([])),
            ("links", .array([link("\(base)/\(invoice.id)", rel: "self")])),
            ("orgId", .string(orgID)),
            ("payments", .array([])),
            ("refunds", .array([])),
            ("salesTaxCents", .number(0)),
            ("startDate", .string(instant(invoice.month))),
            ("startingBalanceCents", .number(0)),
            ("statusName", .string(invoice.status)),
            ("subtotalCents", .number(invoice.subtotalCents)),
            ("updated", .string(invoice.isPending ? EmulatedTime.format(now) : instant(end))),
        ]
        return .object(members)
    }
}

/// HTTP Digest (RFC 7616) as the Atlas Admin API does it: realm "MMS Public
/// API", algorithm MD5, qop "auth". Nonces are self-checking (a random part
/// and a keyed hash of it), so the emulator keeps no nonce table.
enum AtlasDigest {
    static let realm = "MMS Public API"
    /// Keys this process's nonces; a nonce from another run is refused.
    private static let nonceKey = UUID().uuidString

    static func challengeHeader(stale: Bool = false) -> String {
        "Digest realm=\"\(realm)\", domain=\"\", nonce=\"\(makeNonce())\", algorithm=MD5, qop=\"auth\", stale=\(stale)"
    }

    static func makeNonce() -> String {
        let random = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return random + String(MD5.hex("\(random):\(nonceKey)").prefix(16))
    }

    static func isOurs(_ nonce: String) -> Bool {
        guard nonce.count == 48 else { return false }
        let random = String(nonce.prefix(32))
        return String(MD5.hex("\(random):\(nonceKey)").prefix(16)) == nonce.dropFirst(32)
    }

    /// The RFC 7616 response for qop=auth with MD5.
    static func response(
        user: String, password: String, realm: String, method: String, uri: String,
        nonce: String, nc: String, cnonce: String, qop: String
    ) -> String {
        let ha1 = MD5.hex("\(user):\(realm):\(password)")
        let ha2 = MD5.hex("\(method):\(uri)")
        return MD5.hex("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(ha2)")
    }

    /// nil when the request carries a valid digest for `user`/`password`;
    /// otherwise the 401 to send: a bare challenge when there is no digest at
    /// all, Atlas's error body (and a fresh challenge) when it is wrong.
    static func check(_ r: EmulatedRequest, user: String, password: String) -> EmulatedResponse? {
        guard let header = r.headers["authorization"], header.lowercased().hasPrefix("digest ") else {
            return unauthorized(detail: "You are not authorized for this resource.")
        }
        let fields = parameters(String(header.dropFirst("digest ".count)))
        guard let username = fields["username"], let nonce = fields["nonce"], let uri = fields["uri"],
            let answer = fields["response"], let nc = fields["nc"], let cnonce = fields["cnonce"],
            fields["qop"] == "auth", fields["realm"] == realm,
            (fields["algorithm"] ?? "MD5").uppercased() == "MD5"
        else {
            return unauthorized(detail: "You are not authorized for this resource.")
        }
        // The digest covers the request-target; it must be this request's.
        let path = uri.prefix { $0 != "?" }.split(separator: "/").map(String.init)
        guard isOurs(nonce), path == r.segments else {
            return unauthorized(detail: "You are not authorized for this resource.")
        }
        let expected = response(
            user: user, password: password, realm: realm, method: r.method.rawValue, uri: uri,
            nonce: nonce, nc: nc, cnonce: cnonce, qop: "auth")
        guard username == user, answer.lowercased() == expected else {
            return unauthorized(detail: "You are not authorized for this resource.")
        }
        return nil
    }

    private static func unauthorized(detail: String) -> EmulatedResponse {
        AtlasReply.error(
            status: 401, code: "UNAUTHORIZED", reason: "Unauthorized", detail: detail,
            headers: [("WWW-Authenticate", challengeHeader())])
    }

    /// `name=value, name="quoted, value"` pairs; names lower-cased, quotes and
    /// backslash escapes removed.
    static func parameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var chars = Substring(text)
        while !chars.isEmpty {
            chars = chars.drop { $0 == " " || $0 == "," || $0 == "\t" }
            let name = chars.prefix { $0 != "=" && $0 != "," }
            chars = chars.dropFirst(name.count)
            guard chars.first == "=" else { continue }
            chars = chars.dropFirst()
            var value = ""
            if chars.first == "\"" {
                chars = chars.dropFirst()
                while let c = chars.first, c != "\"" {
                    chars = chars.dropFirst()
                    if c == "\\", let next = chars.first {
                        value.append(next)
                        chars = chars.dropFirst()
                    } else {
                        value.append(c)
                    }
                }
                chars = chars.dropFirst()
            } else {
                value = String(chars.prefix { $0 != "," }).trimmingCharacters(in: .whitespaces)
                chars = chars.dropFirst(value.count)
                chars = chars.drop { $0 != "," }
            }
            result[name.trimmingCharacters(in: .whitespaces).lowercased()] = value
        }
        return result
    }
}

extension EmulatorRoutes {
    static let atlas: [any EmulatorRoute] = [AtlasInvoicesRoute()]
}
