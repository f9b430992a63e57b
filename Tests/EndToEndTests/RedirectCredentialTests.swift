import Foundation
import XCTest

/// -L and secrets (curl's rule since 7.83): Authorization and Cookie headers, --auth and the
/// URL's user:password go only where scheme, host and port all match the URL given; a redirect
/// from wss:// to ws:// is refused unless --allow-insecure-redirect.
final class RedirectCredentialTests: EndToEndTestCase {
    private let secrets = ["-H", "Authorization: Bearer top-secret", "-H", "Cookie: session=s3cr3t"]

    func testSecretsAreNotSentToAnotherPortOfTheSameHost() throws {
        let target = try startServer("request_info.py")
        let redirect = try startServer("redirector.py", "ws://127.0.0.1:\(target.port)/")
        let run = try wsc(secrets + ["-L", "-x", "hi", "-w", "5", redirect.url])
        assertExitStatus(run, 0)
        let request = try DescribedRequest(firstMessageOf: run)
        XCTAssertEqual(request.values("Authorization"), [], "\(run.summary)")
        XCTAssertEqual(request.values("Cookie"), [], "\(run.summary)")
    }

    func testAuthOptionIsNotSentToAnotherPort() throws {
        let target = try startServer("request_info.py")
        let redirect = try startServer("redirector.py", "ws://127.0.0.1:\(target.port)/")
        let run = try wsc("--auth", "user:secret", "-L", "-x", "hi", "-w", "5", "ws://me:pw@127.0.0.1:\(redirect.port)/")
        assertExitStatus(run, 0)
        XCTAssertEqual(try DescribedRequest(firstMessageOf: run).values("Authorization"), [])
    }

    func testSecretsAndURLCredentialsSurviveASameOriginRedirect() throws {
        let redirect = try startServer("redirector.py", "/next")
        let run = try wsc(secrets + ["-L", "-x", "hi", "-w", "5", "ws://user:secret@127.0.0.1:\(redirect.port)/"])
        assertExitStatus(run, 0)
        let request = try DescribedRequest(firstMessageOf: run)
        XCTAssertEqual(request.path, "/next")
        // -H Authorization is the user's explicit choice and wins over the URL's credentials.
        XCTAssertEqual(request.values("Authorization"), ["Bearer top-secret"])
        XCTAssertEqual(request.values("Cookie"), ["session=s3cr3t"])

        let urlOnly = try wsc("-L", "-x", "hi", "-w", "5", "ws://user:secret@127.0.0.1:\(redirect.port)/")
        assertExitStatus(urlOnly, 0)
        XCTAssertEqual(try DescribedRequest(firstMessageOf: urlOnly).values("Authorization"),
                       ["Basic " + Data("user:secret".utf8).base64EncodedString()])
    }

    func testRedirectFromTLSToPlainIsRefusedWithExit5() throws {
        let certificate = try makeCertificate()
        let target = try startServer("request_info.py")
        let redirect = try startServer("redirector.py", "--tls", certificate.certificatePath, certificate.keyPath,
                                       "ws://127.0.0.1:\(target.port)/")
        let run = try wsc(secrets + ["--ca", certificate.certificatePath, "-L", "-x", "hi", redirect.secureURL])
        assertExitStatus(run, 5)
        assertErrorLine(run, containing: "--allow-insecure-redirect")
        XCTAssertEqual(run.errorLines.count, 1, "one error line\n\(run.summary)")
        assertStdout(run, "")
    }

    func testInsecureRedirectIsFollowedWhenAllowedButWithoutSecrets() throws {
        let certificate = try makeCertificate()
        let target = try startServer("request_info.py")
        let redirect = try startServer("redirector.py", "--tls", certificate.certificatePath, certificate.keyPath,
                                       "ws://127.0.0.1:\(target.port)/")
        let run = try wsc(secrets + ["--ca", certificate.certificatePath, "-L", "--allow-insecure-redirect",
                                     "-x", "hi", "-w", "5", redirect.secureURL])
        assertExitStatus(run, 0)
        let request = try DescribedRequest(firstMessageOf: run)
        XCTAssertEqual(request.values("Authorization"), [])
        XCTAssertEqual(request.values("Cookie"), [])
    }

    func testAllowInsecureRedirectWithoutLIsAUsageError() throws {
        let run = try wsc("--allow-insecure-redirect", "-x", "hi", "ws://127.0.0.1:9/")
        assertExitStatus(run, 2)
    }
}
