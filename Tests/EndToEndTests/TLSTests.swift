import Foundation
import XCTest

/// wss:// against a self-signed certificate: exit 4 unless it is trusted with --ca or
/// verification is turned off with -n (which warns on stderr). And connections that end below
/// the closing handshakes end wsc as they do over plain TCP.
final class TLSTests: EndToEndTestCase {
    func testUntrustedCertificateExitsWith4() throws {
        let certificate = try makeCertificate()
        let echo = try startServer("echo.py", "--tls", certificate.certificatePath, certificate.keyPath)
        let run = try wsc("-x", "hello", echo.secureURL)
        assertExitStatus(run, 4)
        assertErrorLine(run, containing: "certificate")
        assertStdout(run, "")
    }

    func testCAFileMakesTheCertificateTrusted() throws {
        let certificate = try makeCertificate()
        let echo = try startServer("echo.py", "--tls", certificate.certificatePath, certificate.keyPath)
        let run = try wsc("--ca", certificate.certificatePath, "-x", "hello", echo.secureURL)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
    }

    func testInsecureFlagSkipsVerificationWithAWarning() throws {
        let certificate = try makeCertificate()
        let echo = try startServer("echo.py", "--tls", certificate.certificatePath, certificate.keyPath)
        let run = try wsc("-n", "-x", "hello", echo.secureURL)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
        XCTAssertTrue(run.stderr.localizedCaseInsensitiveContains("warning"),
                      "-n should warn on stderr\n\(run.summary)")
    }

    func testTrustedCertificateForAnotherHostExitsWith4() throws {
        let certificate = try makeCertificate(commonName: "otherhost", subjectAltName: "DNS:otherhost")
        let echo = try startServer("echo.py", "--tls", certificate.certificatePath, certificate.keyPath)
        let run = try wsc("--ca", certificate.certificatePath, "-x", "hello", echo.secureURL)
        assertExitStatus(run, 4)
        assertErrorLine(run)
        assertStdout(run, "")
    }

    /// No close frame and no TLS close_notify (a server process that exits): the same ending,
    /// and the same words, as over plain TCP.
    func testServerHangingUpWithoutCloseNotifyIsWordedAsOverTCP() throws {
        let certificate = try makeCertificate()
        let peer = try startServer("raw_http.py", "--tls", certificate.certificatePath, certificate.keyPath, "drop")
        let run = try wsc("--ca", certificate.certificatePath, "-x", "hi", "-w", "5", peer.secureURL)
        assertExitStatus(run, 8)
        assertErrorLine(run, containing: "server closed the connection without sending a close frame")
    }
}
