import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 client over a loopback socket that reads a Server-Sent Events response as it
/// arrives (the test clients collect a whole body, which an event stream never ends).
final class SSEClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port` and sends `GET path` with `headers`.
    init(port: Int, path: String, headers: [String: String]) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        for (k, v) in headers { request += "\(k): \(v)\r\n" }
        request += "\r\n"
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(fd) }

    /// The SSE events (`id`, `event`) with numeric ids received until `count` have come or `seconds`
    /// passed.
    func events(count: Int, seconds: Double) async -> [(id: UInt64, type: String)] {
        await messages(count: count, seconds: seconds).compactMap { m in UInt64(m.id).map { ($0, m.type) } }
    }

    /// The SSE messages (`id`, `event`, `data`) received until `count` have come or `seconds` passed.
    ///
    /// The socket is read without blocking and the wait between reads is a task sleep: a blocking
    /// `recv` held one of the few cooperative threads (two on a 2-core machine), so two streaming
    /// tests running at once could starve the server they were waiting for until their time ran out.
    func messages(count: Int, seconds: Double) async -> [(id: String, type: String, data: String)] {
        let deadline = Date().addingTimeInterval(seconds)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline && parse().count < count {
            let n = recv(fd, &chunk, chunk.count, Int32(MSG_DONTWAIT))
            if n > 0 {
                buffer += chunk[0..<n]
            } else if n == 0 {
                break
            } else {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        return parse()
    }

    /// Everything received so far, as text, without carriage returns (the HTTP framing's `\r\n`
    /// would otherwise be one `Character`, and hide the `\n` the event lines are split on).
    var text: String { String(decoding: buffer.filter { $0 != 13 }, as: UTF8.self) }

    private func parse() -> [(id: String, type: String, data: String)] {
        var out: [(String, String, String)] = []
        // The last block is incomplete until its blank line comes.
        for block in text.components(separatedBy: "\n\n").dropLast() {
            var id: String?
            var type: String?
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            if let id, let type { out.append((id, type, data)) }
        }
        return out
    }
}
