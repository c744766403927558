import QLPHTTP
import Testing

/// How the SMTP server settings and errors print: the password never, the
/// server always as `scheme://host:port`.
@Suite struct SMTPSettingsTests {
    @Test func thePasswordNeverPrints() {
        let password = SMTPPassword("hunter2")
        let server = SMTPServer(url: "smtp://mail.qlp.example:587", username: "alerts", password: password)
        var dumped = ""
        dump(server, to: &dumped)
        for text in ["\(password)", String(reflecting: password), "\(server)", String(reflecting: server), dumped] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        #expect(password.reveal() == "hunter2")
        #expect("\(server)" == "smtp://mail.qlp.example:587 as alerts (STARTTLS required)")
    }

    @Test func theServerIsNamedBySchemeHostAndPort() {
        #expect(SMTPServer(url: "smtp://mail.qlp.example").endpoint == "smtp://mail.qlp.example:25")
        #expect(SMTPServer(url: "SMTPS://mail.qlp.example").endpoint == "smtps://mail.qlp.example:465")
        #expect(SMTPServer(url: "smtp://[::1]:2525/ehlo.name").endpoint == "smtp://[::1]:2525")
        #expect(SMTPServer(url: "smtps://relay.qlp.example:465").description == "smtps://relay.qlp.example:465 (TLS)")
        // Refused at send; still shown without the user info.
        #expect(!SMTPServer(url: "smtp://u:hunter2@mail.qlp.example:25").endpoint.contains("hunter2"))
    }

    @Test func anErrorNamesServerReplyAndLibcurlText() {
        let error = SMTPError(
            kind: .loginDenied, server: "smtp://127.0.0.1:2525", replyCode: 535,
            serverReply: "535 5.7.8 Authentication credentials invalid",
            detail: "Authentication failed: 535", curlCode: 67)
        #expect(
            "\(error)" == "smtp://127.0.0.1:2525: login denied "
                + "(535 5.7.8 Authentication credentials invalid; libcurl: Authentication failed: 535)")
    }
}
