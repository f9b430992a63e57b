import Foundation

/// Starting the servers that cannot announce a port (websocketd, nginx): each gets a port that
/// was free a moment ago, and is ready once it accepts a connection there.
extension InteropTests {
    /// The interop servers' scripts and programs.
    static var interopFolder: String { PackagePaths.servers + "/interop" }

    /// Starts a server on a fresh free port (`arguments(port)` builds its command line). A port
    /// taken by someone else in between makes the server exit at once; then it is tried again
    /// with another port, three times at most.
    func launchOnFreePort(
        _ name: String,
        executable: String,
        environment: [String: String] = [:],
        arguments: (UInt16) throws -> [String]
    ) throws -> TestServer {
        var lastError: Error = HarnessError("\(name) did not start")
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            do {
                return try launchServer(name, executable: executable, arguments: try arguments(port),
                                        environment: environment, readiness: .accepts(port: port))
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// websocketd serving `program` on 127.0.0.1 (`binary`: its binary mode, where the program's
    /// output goes out as binary messages).
    func startWebsocketd(_ websocketd: String, program: [String], binary: Bool = false) throws -> TestServer {
        try launchOnFreePort("websocketd \(program.joined(separator: " "))", executable: websocketd) { port in
            ["--address=127.0.0.1", "--port=\(port)", "--loglevel=error"] + (binary ? ["--binary"] : []) + program
        }
    }

    /// nginx terminating TLS on 127.0.0.1 and proxying WebSocket upgrades to the plain server on
    /// `upstreamPort`, with `certificate` (whose chain the client trusts through `--ca`). One
    /// process in the foreground (no master, no daemon), its files in a temporary folder, so it is
    /// stopped by its pid and needs no root.
    func startNginxProxy(_ nginx: String, upstreamPort: UInt16, certificate: TLSCertificate) throws -> TestServer {
        let prefix = try temporaryDirectory() + "/nginx"
        for folder in ["", "/temp"] {
            try FileManager.default.createDirectory(atPath: prefix + folder, withIntermediateDirectories: true)
        }
        return try launchOnFreePort("nginx", executable: nginx) { port in
            let configuration = prefix + "/nginx.conf"
            try Self.nginxConfiguration(prefix: prefix, port: port, upstreamPort: upstreamPort, certificate: certificate)
                .write(toFile: configuration, atomically: true, encoding: .utf8)
            return ["-p", prefix, "-c", configuration, "-e", "stderr"]
        }
    }

    /// The usual WebSocket reverse-proxy block (HTTP/1.1 upstream, Upgrade and Connection passed
    /// on), with TLS in front.
    static func nginxConfiguration(prefix: String, port: UInt16, upstreamPort: UInt16, certificate: TLSCertificate) -> String {
        """
        daemon off;
        master_process off;
        pid \(prefix)/nginx.pid;
        error_log stderr warn;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path \(prefix)/temp/body;
            proxy_temp_path \(prefix)/temp/proxy;
            fastcgi_temp_path \(prefix)/temp/fastcgi;
            uwsgi_temp_path \(prefix)/temp/uwsgi;
            scgi_temp_path \(prefix)/temp/scgi;
            server {
                listen 127.0.0.1:\(port) ssl;
                server_name localhost;
                ssl_certificate \(certificate.certificatePath);
                ssl_certificate_key \(certificate.keyPath);
                location / {
                    proxy_pass http://127.0.0.1:\(upstreamPort);
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection "upgrade";
                    proxy_set_header Host $host;
                    proxy_read_timeout 60s;
                }
            }
        }

        """
    }
}
