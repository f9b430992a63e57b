import Foundation

/// A certificate and its key, made with the `openssl` command for one test.
struct TLSCertificate {
    /// PEM certificate: what the peer serves (and, when self-signed, what `--ca` trusts).
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
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "2", "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=\(subjectAltName)",
            "-keyout", certificate.keyPath, "-out", certificate.certificatePath,
        ], producing: certificate.certificatePath)
        return certificate
    }

    /// Runs `openssl` with `arguments` (bounded), and checks that it wrote `output`.
    static func openssl(_ arguments: [String], producing output: String) throws {
        let outcome = try ChildProcess.run(executable: "openssl", arguments: arguments,
                                           searchPATH: true, stdin: [], timeout: 30)
        guard outcome.status == 0, !outcome.timedOut, FileManager.default.fileExists(atPath: output) else {
            throw HarnessError("openssl \(arguments.first ?? "") failed (status \(outcome.status)): \(String(decoding: outcome.stderr, as: UTF8.self))")
        }
    }
}

/// A throw-away certificate authority and certificates it issues (client certificates, and
/// server certificates for a TLS-terminating proxy), made with the `openssl` command.
struct TLSAuthority {
    let certificatePath: String
    let keyPath: String
    let directory: String

    /// A self-signed CA (EC P-256, CA:true, two days) named `name`.
    static func generate(name: String = "Test CA", in directory: String) throws -> TLSAuthority {
        let slug = name.replacingOccurrences(of: " ", with: "-")
        let authority = TLSAuthority(certificatePath: directory + "/\(slug)-ca.pem",
                                     keyPath: directory + "/\(slug)-ca-key.pem", directory: directory)
        try TLSCertificate.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                    "-days", "2", "-subj", "/CN=\(name)", "-addext", "basicConstraints=critical,CA:TRUE",
                                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                                    "-keyout", authority.keyPath, "-out", authority.certificatePath],
                                   producing: authority.certificatePath)
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
        try TLSCertificate.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] + keyArguments
                                   + ["-subj", "/CN=\(commonName)", "-keyout", certificate.keyPath, "-out", request],
                                   producing: request)
        try sign(request, extensions: "extendedKeyUsage=clientAuth\n", into: certificate.certificatePath)
        return certificate
    }

    /// A server certificate for `commonName` and `subjectAltName` signed by this CA (unencrypted
    /// key), as a TLS-terminating proxy serves it.
    func issueServerCertificate(
        commonName: String = "localhost",
        subjectAltName: String = "DNS:localhost,IP:127.0.0.1"
    ) throws -> TLSCertificate {
        let certificate = TLSCertificate(certificatePath: directory + "/\(commonName)-server.pem",
                                         keyPath: directory + "/\(commonName)-server-key.pem")
        let request = directory + "/\(commonName)-server.csr"
        try TLSCertificate.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                    "-subj", "/CN=\(commonName)", "-keyout", certificate.keyPath, "-out", request],
                                   producing: request)
        try sign(request, extensions: """
            basicConstraints = CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = \(subjectAltName)

            """, into: certificate.certificatePath)
        return certificate
    }

    /// Signs the certificate request at `request` with this CA, adding `extensions` (an
    /// openssl extension file's text), into `output`.
    private func sign(_ request: String, extensions: String, into output: String) throws {
        let extensionFile = request + ".extensions.cnf"
        try extensions.write(toFile: extensionFile, atomically: true, encoding: .utf8)
        try TLSCertificate.openssl(["x509", "-req", "-in", request, "-CA", certificatePath, "-CAkey", keyPath,
                                    "-CAcreateserial", "-days", "2", "-extfile", extensionFile, "-out", output],
                                   producing: output)
    }
}
