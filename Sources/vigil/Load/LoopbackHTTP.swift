import Glibc

/// One keep-alive HTTP/1.1 connection to the daemon on 127.0.0.1, with blocking sockets: a load
/// client owns one and its own thread, sends a request and reads the whole answer before the next
/// (no pipelining). Knows just what the daemon sends: `Content-Length` or chunked bodies.
final class LoopbackHTTP {
    /// An answer.
    struct Response {
        var status: Int
        var body: [UInt8]
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
            // The request's bytes appended piece by piece: no intermediate strings.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(256 + (body?.count ?? 0))
            bytes += method.utf8
            bytes.append(UInt8(ascii: " "))
            bytes += path.utf8
            bytes += " HTTP/1.1\r\nHost: 127.0.0.1:".utf8
            bytes += String(port).utf8
            if !token.isEmpty {
                bytes += "\r\nAuthorization: Bearer ".utf8
                bytes += token.utf8
            }
            for (name, value) in headers {
                bytes += "\r\n".utf8
                bytes += name.utf8
                bytes += ": ".utf8
                bytes += value.utf8
            }
            if let body {
                bytes += "\r\nContent-Type: application/json\r\nContent-Length: ".utf8
                bytes += String(body.count).utf8
            }
            bytes += "\r\n\r\n".utf8
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

    /// The bytes of the next line (without CRLF), valid until the next read.
    private func line() throws(Failure) -> Range<Int> {
        var from = inputStart
        while true {
            if let end = input[from...].firstIndex(of: UInt8(ascii: "\n")) {
                var last = end
                if last > inputStart && input[last - 1] == UInt8(ascii: "\r") { last -= 1 }
                let range = inputStart..<last
                inputStart = end + 1
                return range
            }
            from = input.count
            let consumed = inputStart
            try fill()
            from -= consumed - inputStart  // fill() may have dropped consumed bytes
        }
    }

    private func take(_ count: Int) throws(Failure) -> [UInt8] {
        while input.count - inputStart < count { try fill() }
        let bytes = Array(input[inputStart..<(inputStart + count)])
        inputStart += count
        return bytes
    }

    /// Whether `range` of the input starts with `prefix`, ASCII letters in either case.
    private func starts(_ range: Range<Int>, with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard range.count >= count else { return false }
        for k in 0..<count where input[range.lowerBound + k] | 0x20 != prefix.utf8Start[k] | 0x20 { return false }
        return true
    }

    /// The value of the header line `range` after its `name:` prefix, without surrounding blanks.
    private func value(_ range: Range<Int>, after name: StaticString) -> Substring {
        var text = Substring(
            decoding: input[(range.lowerBound + name.utf8CodeUnitCount)..<range.upperBound], as: UTF8.self)
        while let c = text.first, c == " " || c == "\t" { text = text.dropFirst() }
        while let c = text.last, c == " " || c == "\t" { text = text.dropLast() }
        return text
    }

    private func readResponse() throws(Failure) -> Response {
        let statusLine = try line()
        // "HTTP/1.x NNN …"
        guard starts(statusLine, with: "HTTP/1."), statusLine.count >= 12, input[statusLine.lowerBound + 8] == 0x20,
            let status = Int(
                Substring(decoding: input[(statusLine.lowerBound + 9)..<(statusLine.lowerBound + 12)], as: UTF8.self))
        else {
            throw Failure(
                description:
                    "not an HTTP status line: \(String(decoding: input[statusLine].prefix(80), as: UTF8.self))")
        }
        var length: Int?
        var chunked = false
        var closing = false
        while true {
            let header = try line()
            if header.isEmpty { break }
            if starts(header, with: "content-length:") {
                length = Int(value(header, after: "content-length:"))
            } else if starts(header, with: "transfer-encoding:") {
                chunked = value(header, after: "transfer-encoding:").lowercased().contains("chunked")
            } else if starts(header, with: "connection:") {
                closing = value(header, after: "connection:").lowercased() == "close"
            }
        }
        var body: [UInt8] = []
        if chunked {
            while true {
                let sizeLine = try line()
                let text = Substring(decoding: input[sizeLine], as: UTF8.self)
                guard let size = Int(text.split(separator: ";").first ?? "", radix: 16) else {
                    throw Failure(description: "bad chunk size: \(text.prefix(40))")
                }
                if size == 0 {
                    while try !line().isEmpty {}
                    break
                }
                body += try take(size)
                _ = try line()
            }
        } else if let length {
            body = try take(length)
        }
        if closing { close() }
        return Response(status: status, body: body)
    }
}
