import Foundation

/// A self-signed certificate and its key, made with the `openssl` command for one test.
struct TLSCertificate {
    /// PEM certificate: what the peer serves and what `--ca` trusts.
    let certificatePath: String
    /// PEM private key (unencrypted).
    let keyPath: String

    /// Generates an EC P-256 self-signed certificate valid for two days, with subject
    /// `CN=commonName` and the given subjectAltName, into `directory`.
    static func generate(
        commonName: String = "localhost",
        subjectAltName: String = "DNS:localhost,IP:127.0.0.1",
        in directory: String
    ) throws -> TLSCertificate {
        let certificate = TLSCertificate(certificatePath: directory + "/\(commonName)-cert.pem",
                                         keyPath: directory + "/\(commonName)-key.pem")
        let outcome = try ChildProcess.run(
            executable: "openssl",
            arguments: [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "2", "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=\(subjectAltName)",
                "-keyout", certificate.keyPath, "-out", certificate.certificatePath,
            ],
            searchPATH: true, stdin: [], timeout: 30)
        guard outcome.status == 0, !outcome.timedOut,
              FileManager.default.fileExists(atPath: certificate.certificatePath) else {
            throw HarnessError("openssl req failed (status \(outcome.status)): \(String(decoding: outcome.stderr, as: UTF8.self))")
        }
        return certificate
    }
}
