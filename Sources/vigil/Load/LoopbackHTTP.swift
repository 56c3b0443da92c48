import Glibc

/// One keep-alive HTTP/1.1 connection to the daemon on 127.0.0.1, with blocking sockets: a load
/// client owns one and its own thread, sends a request and reads the whole answer before the next
/// (no pipelining). Knows just what the daemon sends: `Content-Length` or chunked bodies.
final class LoopbackHTTP {
    /// An answer.
    struct Response {
        var status: Int
        var body: [UInt8]
        /// The value of header `name` (lower case), if sent.
        var headers: [String: String]
    }

    /// The connection failed (refused, reset, closed, timed out): the request's outcome is unknown.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let port: UInt16
    private let timeoutSeconds: Int
    private var socket: Int32 = -1
    /// Bytes received and not yet consumed.
    private var input: [UInt8] = []
    private var inputStart = 0
    /// What one recv(2) reads into, kept for the connection's life (not a new zeroed array per read).
    private var chunk = [UInt8](repeating: 0, count: 16_384)

    init(port: UInt16, timeoutSeconds: Int = 15) {
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { close() }

    /// Closes the connection; the next request opens a new one.
    func close() {
        if socket >= 0 { Glibc.close(socket) }
        socket = -1
        input.removeAll(keepingCapacity: true)
        inputStart = 0
    }

    /// Sends one request (with `token` as its bearer token unless empty) and returns its answer. A
    /// failure closes the connection.
    func send(
        _ method: String, _ path: String, token: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws(Failure) -> Response {
        do {
            if socket < 0 { try connect() }
            var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
            if !token.isEmpty { head += "Authorization: Bearer \(token)\r\n" }
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
            head += "\r\n"
            var bytes = Array(head.utf8)
            if let body { bytes += body }
            try write(bytes)
            return try readResponse()
        } catch {
            close()
            throw error
        }
    }

    // MARK: - Socket

    private func connect() throws(Failure) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port): \(message)")
        }
        socket = fd
    }

    private func write(_ bytes: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            sent += n
        }
    }

    /// Reads more bytes into `input`.
    private func fill() throws(Failure) {
        if inputStart > 0 && inputStart == input.count {
            input.removeAll(keepingCapacity: true)
            inputStart = 0
        }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress!, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n == 0 { throw Failure(description: "the daemon closed the connection") }
            guard n > 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
            input += chunk[0..<n]
            return
        }
    }

    /// The next line (without CRLF).
    private func line() throws(Failure) -> String {
        while true {
            if let end = input[inputStart...].firstIndex(of: UInt8(ascii: "\n")) {
                var last = end
                if last > inputStart && input[last - 1] == UInt8(ascii: "\r") { last -= 1 }
                let text = String(decoding: input[inputStart..<last], as: UTF8.self)
                inputStart = end + 1
                return text
            }
            try fill()
        }
    }

    private func take(_ count: Int) throws(Failure) -> [UInt8] {
        while input.count - inputStart < count { try fill() }
        let bytes = Array(input[inputStart..<(inputStart + count)])
        inputStart += count
        return bytes
    }

    private func readResponse() throws(Failure) -> Response {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "not an HTTP status line: \(statusLine.prefix(80))")
        }
        var headers: [String: String] = [:]
        while true {
            let header = try line()
            if header.isEmpty { break }
            guard let colon = header.firstIndex(of: ":") else { continue }
            let name = header[..<colon].lowercased()
            let value = header[header.index(after: colon)...].trimmingCharacters(in: " \t")
            headers[name] = value
        }
        var body: [UInt8] = []
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            while true {
                let sizeLine = try line()
                guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    throw Failure(description: "bad chunk size: \(sizeLine.prefix(40))")
                }
                if size == 0 {
                    while try !line().isEmpty {}
                    break
                }
                body += try take(size)
                _ = try line()
            }
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            body = try take(length)
        }
        if headers["connection"]?.lowercased() == "close" { close() }
        return Response(status: status, body: body, headers: headers)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
