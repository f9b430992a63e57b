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

/// A throw-away certificate authority and certificates it issues (client certificates), made
/// with the `openssl` command.
struct TLSAuthority {
    let certificatePath: String
    let keyPath: String
    let directory: String

    /// A self-signed CA (EC P-256, CA:true, two days) named `name`.
    static func generate(name: String = "Test CA", in directory: String) throws -> TLSAuthority {
        let slug = name.replacingOccurrences(of: " ", with: "-")
        let authority = TLSAuthority(certificatePath: directory + "/\(slug)-ca.pem",
                                     keyPath: directory + "/\(slug)-ca-key.pem", directory: directory)
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-days", "2", "-subj", "/CN=\(name)", "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                     "-keyout", authority.keyPath, "-out", authority.certificatePath])
        return authority
    }

    /// A client certificate for `commonName` signed by this CA; its key encrypted with
    /// `passphrase` when one is given.
    func issueClientCertificate(commonName: String, passphrase: String? = nil) throws -> TLSCertificate {
        let certificate = TLSCertificate(certificatePath: directory + "/\(commonName)-client.pem",
                                         keyPath: directory + "/\(commonName)-client-key.pem")
        let request = directory + "/\(commonName)-client.csr"
        var keyArguments = ["-nodes"]
        if let passphrase { keyArguments = ["-passout", "pass:" + passphrase] }
        try TLSAuthority.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] + keyArguments
                                 + ["-subj", "/CN=\(commonName)", "-keyout", certificate.keyPath, "-out", request])
        let extensions = directory + "/client-extensions.cnf"
        try "extendedKeyUsage=clientAuth\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        try TLSAuthority.openssl(["x509", "-req", "-in", request, "-CA", certificatePath, "-CAkey", keyPath,
                                  "-CAcreateserial", "-days", "2", "-extfile", extensions,
                                  "-out", certificate.certificatePath])
        return certificate
    }

    private static func openssl(_ arguments: [String]) throws {
        let outcome = try ChildProcess.run(executable: "openssl", arguments: arguments, searchPATH: true,
                                           stdin: [], timeout: 30)
        guard outcome.status == 0, !outcome.timedOut else {
            throw HarnessError("openssl \(arguments.first ?? "") failed (status \(outcome.status)): "
                               + String(decoding: outcome.stderr, as: UTF8.self))
        }
    }
}
