import Foundation
import XCTest

/// TLS failures that must say what is wrong and exit 4 (or read as the HTTP answer they carry):
/// a refused client certificate on TLS 1.3, an encrypted key without --passphrase, a plain
/// server behind wss://, a certificate for another name, and HTTP answers without close_notify.
final class TLSFailureTests: EndToEndTestCase {
    private func clientCertificateServer() throws -> (TestServer, TLSAuthority, TLSCertificate) {
        let directory = try temporaryDirectory()
        let serverCertificate = try makeCertificate()
        let authority = try TLSAuthority.generate(in: directory)
        let echo = try startServer("echo.py", "--tls", serverCertificate.certificatePath, serverCertificate.keyPath,
                                   "--client-ca", authority.certificatePath)
        return (echo, authority, serverCertificate)
    }

    func testTrustedClientCertificateIsAccepted() throws {
        let (echo, authority, serverCertificate) = try clientCertificateServer()
        let client = try authority.issueClientCertificate(commonName: "alice")
        let run = try wsc("--ca", serverCertificate.certificatePath, "--cert", client.certificatePath,
                          "--key", client.keyPath, "-x", "hello", echo.secureURL)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
    }

    func testMissingClientCertificateExits4NamingItAndIsNotRetried() throws {
        let (echo, _, serverCertificate) = try clientCertificateServer()
        let run = try wsc("-r", "--reconnect-delay", "0.1", "--ca", serverCertificate.certificatePath,
                          "-x", "hello", echo.secureURL)
        assertExitStatus(run, 4)
        assertErrorLine(run, containing: "client certificate")
        assertErrorLine(run, containing: "--cert")
        XCTAssertFalse(run.stderr.contains("reconnecting"), "-r retried\n\(run.summary)")
    }

    func testUntrustedClientCertificateExits4NamingIt() throws {
        let (echo, _, serverCertificate) = try clientCertificateServer()
        let stranger = try TLSAuthority.generate(name: "Other CA", in: try temporaryDirectory())
        let client = try stranger.issueClientCertificate(commonName: "mallory")
        let run = try wsc("-r", "--reconnect-delay", "0.1", "--ca", serverCertificate.certificatePath,
                          "--cert", client.certificatePath, "--key", client.keyPath, "-x", "hello", echo.secureURL)
        assertExitStatus(run, 4)
        assertErrorLine(run, containing: "refused the client certificate")
        XCTAssertFalse(run.stderr.contains("reconnecting"), "-r retried\n\(run.summary)")
    }

    func testEncryptedKeyWithoutPassphraseExits4NamingTheFlagWithoutPrompting() throws {
        let (echo, authority, serverCertificate) = try clientCertificateServer()
        let client = try authority.issueClientCertificate(commonName: "locked", passphrase: "open sesame")
        let run = try wsc("--ca", serverCertificate.certificatePath, "--cert", client.certificatePath,
                          "--key", client.keyPath, "-x", "hello", echo.secureURL)
        assertExitStatus(run, 4)
        assertErrorLine(run, containing: "--passphrase")
        XCTAssertFalse(run.stderr.localizedCaseInsensitiveContains("pass phrase:"), "OpenSSL prompted\n\(run.summary)")

        let wrong = try wsc("--ca", serverCertificate.certificatePath, "--cert", client.certificatePath,
                            "--key", client.keyPath, "--passphrase", "wrong", "-x", "hello", echo.secureURL)
        assertExitStatus(wrong, 4)
        assertErrorLine(wrong, containing: "--passphrase does not decrypt")

        let right = try wsc("--ca", serverCertificate.certificatePath, "--cert", client.certificatePath,
                            "--key", client.keyPath, "--passphrase", "open sesame", "-x", "hello", echo.secureURL)
        assertExitStatus(right, 0)
        assertStdout(right, "hello\n")
    }

    /// The transport says which file failed in which role; wsc names the option that gave it.
    func testUnloadableTLSFilesExit4NamingTheOptionThatGaveThem() throws {
        let certificate = try makeCertificate()
        let missing = try temporaryDirectory() + "/missing.pem"
        let ca = try wsc("--ca", missing, "-x", "hello", "wss://127.0.0.1:9/")
        assertExitStatus(ca, 4)
        assertErrorLine(ca, containing: "TLS setup: cannot load CA file \(missing) (--ca): ")

        let clientCertificate = try wsc("--cert", missing, "--key", certificate.keyPath, "-x", "hello", "wss://127.0.0.1:9/")
        assertExitStatus(clientCertificate, 4)
        assertErrorLine(clientCertificate, containing: "TLS setup: cannot load client certificate \(missing) (--cert): ")

        let key = try wsc("--cert", certificate.certificatePath, "--key", missing, "-x", "hello", "wss://127.0.0.1:9/")
        assertExitStatus(key, 4)
        assertErrorLine(key, containing: "TLS setup: cannot load private key \(missing) (--key): ")

        let keyInCertificate = try wsc("--cert", certificate.certificatePath, "-x", "hello", "wss://127.0.0.1:9/")
        assertExitStatus(keyInCertificate, 4)
        assertErrorLine(keyInCertificate, containing: "(--cert without --key: the key must be in the same file)")

        let listenCA = try wsc("-l", "0", "--cert", certificate.certificatePath, "--key", certificate.keyPath, "--ca", missing)
        assertExitStatus(listenCA, 4)
        assertErrorLine(listenCA, containing: "TLS setup: cannot load CA file \(missing) (--ca): ")

        let listenCertificate = try wsc("-l", "0", "--cert", missing, "--key", certificate.keyPath)
        assertExitStatus(listenCertificate, 4)
        assertErrorLine(listenCertificate, containing: "TLS setup: cannot load certificate \(missing) (--cert): ")
    }

    func testWssToAPlainServerSaysItIsPlain() throws {
        // python-websockets closes without a word on a ClientHello; others answer 400 in HTTP.
        let echo = try startServer("echo.py")
        let run = try wsc("-x", "hello", "wss://127.0.0.1:\(echo.port)/")
        assertExitStatus(run, 4)
        assertErrorLine(run, containing: "closed the connection without answering the TLS handshake")
        assertErrorLine(run, containing: "plain ws:// server")

        let http = try startServer("raw_http.py", "http-400")
        let answered = try wsc("-r", "-x", "hello", "wss://127.0.0.1:\(http.port)/")
        assertExitStatus(answered, 4)
        assertErrorLine(answered, containing: "answered in plain text, not TLS")
        assertErrorLine(answered, containing: "plain ws:// server speaking HTTP")
        XCTAssertFalse(answered.stderr.contains("reconnecting"), "-r retried\n\(answered.summary)")
    }

    func testHostnameMismatchNamesTheCertificatesNamesAndDoesNotSuggestCA() throws {
        let certificate = try makeCertificate(commonName: "otherhost", subjectAltName: "DNS:otherhost,DNS:alt.example")
        let echo = try startServer("echo.py", "--tls", certificate.certificatePath, certificate.keyPath)
        let run = try wsc("--ca", certificate.certificatePath, "-x", "hello", echo.secureURL)
        assertExitStatus(run, 4)
        assertErrorLine(run, containing: "is for otherhost, alt.example, not 127.0.0.1")
        assertErrorLine(run, containing: "--ca cannot fix")
    }

    func testForbiddenOverTLSWithoutCloseNotifyExits5() throws {
        let certificate = try makeCertificate()
        let peer = try startServer("raw_http.py", "--tls", certificate.certificatePath, certificate.keyPath, "403")
        let run = try wsc("--ca", certificate.certificatePath, "-x", "hi", peer.secureURL)
        assertExitStatus(run, 5)
        assertErrorLine(run, containing: "403")
    }

    func testRedirectOverTLSWithoutCloseNotifyIsFollowed() throws {
        let certificate = try makeCertificate()
        let echo = try startServer("echo.py", "--tls", certificate.certificatePath, certificate.keyPath)
        let peer = try startServer("raw_http.py", "--tls", certificate.certificatePath, certificate.keyPath,
                                   "redirect", String(echo.port))
        let run = try wsc("--ca", certificate.certificatePath, "-L", "-x", "hello", peer.secureURL)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")

        let unfollowed = try wsc("--ca", certificate.certificatePath, "-x", "hello", peer.secureURL)
        assertExitStatus(unfollowed, 5)
    }
}
