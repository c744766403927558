import Testing

@testable import QLPHTTP

/// The checks every upstream request passes before libcurl sees it: a URL
/// libcurl would misread is refused with a message that names what is wrong
/// and shows the endpoint with its secrets taken out.
@Suite struct RequestValidationTests {
    @Test(arguments: [
        "http://127.0.0.1:8080/v1/chat/completions",
        "https://example.openai.azure.com/openai/deployments/gpt4/chat/completions?api-version=2024-06-01",
        "HTTPS://Example.com",
        "http://user@host:1/x",
        "http://[::1]:8080/",
        "http://host?q=1",
        "http://host#frag",
    ])
    func aWellFormedURLPasses(url: String) {
        #expect(RequestValidation.urlDefect(url) == nil)
    }

    @Test(arguments: [
        ("example.com/v1", RequestValidation.URLDefect.notAbsolute),
        ("http:/example.com", .notAbsolute),
        ("", .notAbsolute),
        ("ftp://example.com/file", .unsupportedScheme("ftp")),
        ("HTTPX://example.com", .unsupportedScheme("httpx")),
        ("htt://example.com", .unsupportedScheme("htt")),
        ("http://exa mple.com/", .spacesOrControls),
        ("http://example.com/\u{7F}", .spacesOrControls),
        ("http://example.com/a\nb", .spacesOrControls),
        ("http:///path", .noHost),
        ("http://:8080/path", .noHost),
        ("http://user@/path", .noHost),
        ("http://user@:80", .noHost),
        ("https://", .noHost),
    ])
    func aMalformedURLIsNamedForWhatIsWrong(url: String, defect: RequestValidation.URLDefect) {
        #expect(RequestValidation.urlDefect(url) == defect)
    }

    @Test func theMessageNamesTheDefectAndNeverTheSecrets() {
        var request = HTTPRequest(method: .get, url: "http://:8080/path?api-key=not-for-the-log")
        let problem = RequestValidation.problem(in: request)
        #expect(problem?.contains("has no host") == true)
        #expect(problem?.contains("not-for-the-log") == false)
        request.url = "gopher://host/?key=not-for-the-log"
        #expect(RequestValidation.problem(in: request) == "URL scheme \"gopher\" is not supported (only http and https)")
    }
}
