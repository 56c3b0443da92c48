import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request to the daemon on loopback.
func request(
    _ method: String, _ port: Int, _ path: String, token: String? = nil, body: String? = nil,
    headers: [String: String] = [:]
) async throws -> (status: Int, body: String) {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = method
    request.timeoutInterval = 30
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    if let body {
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

/// The port a starting daemon logged in its `listening` line (JSON logs on standard error).
func listeningPort(_ daemon: VigilProcess) async throws -> Int? {
    for _ in 0..<1_500 {
        let lines = String(decoding: daemon.stderrSoFar, as: UTF8.self).split(separator: "\n")
        for line in lines where line.contains(#""message":"listening""#) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let port = (object?["port"] as? String).flatMap(Int.init) { return port }
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    return nil
}

/// A bearer token of `role` for the store in `data`, made with `vigil token create`.
func makeToken(_ scratch: Scratch, role: String, name: String) async throws -> String {
    let made = try await VigilProcess.run(
        ["token", "create", "--data", scratch.data, "--role", role, "--name", name], in: scratch.url)
    try #require(made.succeeded, "\(made)")
    return made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A `report-recovery` body for case `n` (a new youth each), happening now.
func recoveryBody(_ n: Int) -> String {
    let now = ISO8601DateFormatter().string(from: Date())
    let id = String(format: "%08d", n)
    return
        #"{"occurredAt":"\#(now)","caseId":"C-LOAD\#(id)","youthRef":"Y-LOAD\#(id)","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"\#(now)","context":"street","ageAtContact":15,"onSupervision":"none","awol":false}"#
}

/// Starts `vigil serve` on `scratch`'s store on a free port (plus `arguments`) and waits until it
/// listens; the caller stops it.
func startDaemon(
    _ scratch: Scratch, _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
) async throws -> (daemon: VigilProcess, port: Int) {
    let daemon = try VigilProcess(["serve", "--data", scratch.data, "--port", "0"] + arguments, in: scratch.url)
    guard let port = try await listeningPort(daemon) else {
        daemon.kill()
        let log = String(decoding: daemon.stderrSoFar, as: UTF8.self)
        try #require(Bool(false), "no listening line: \(log)", sourceLocation: sourceLocation)
        return (daemon, 0)
    }
    return (daemon, port)
}

/// A free TCP port on 127.0.0.1 (bound and released: a leader restarted on it keeps its address).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    try #require(bound, "no free port")
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A store's head position and chain hash, from `vigil log stat --json`.
func head(_ scratch: Scratch, _ data: String) async throws -> (position: Int, hash: String) {
    let stat = try await VigilProcess.run(["log", "stat", "--data", data, "--json"], in: scratch.url)
    try #require(stat.succeeded, "\(stat)")
    let object = try JSON.object(stat.stdoutText)
    return (object["headPosition"] as? Int ?? -1, object["headHash"] as? String ?? "")
}
