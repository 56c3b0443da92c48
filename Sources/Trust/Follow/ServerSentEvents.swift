/// Splits a `text/event-stream` body into its messages as bytes arrive (the parts Vigil's event
/// stream uses: `id:` and `data:` lines, a blank line ending each message; comments and `retry:`
/// skipped).
struct ServerSentEvents {
    /// One message: its id (a log position) and its data (an export line).
    struct Message: Equatable {
        var id: String?
        var data: [UInt8]
    }

    private var pending: [UInt8] = []
    private var id: String?
    private var data: [UInt8]?

    /// Feeds `bytes`; returns the messages they complete.
    mutating func feed(_ bytes: some Collection<UInt8>) -> [Message] {
        pending += bytes
        var out: [Message] = []
        var start = 0
        while let newline = pending[start...].firstIndex(of: 0x0A) {
            var line = pending[start..<newline]
            if line.last == 0x0D { line = line.dropLast() }
            start = newline + 1
            if line.isEmpty {
                if let data { out.append(Message(id: id, data: data)) }
                id = nil
                data = nil
            } else if line.first == UInt8(ascii: ":") {
                continue
            } else if let value = Self.value(line, field: "data") {
                data = (data.map { $0 + [0x0A] } ?? []) + value
            } else if let value = Self.value(line, field: "id") {
                id = String(decoding: value, as: UTF8.self)
            }
        }
        pending.removeFirst(start)
        return out
    }

    /// The value of `field: value` (one optional space after the colon), or nil for another field.
    private static func value(_ line: ArraySlice<UInt8>, field: String) -> [UInt8]? {
        let name = Array(field.utf8) + [UInt8(ascii: ":")]
        guard line.starts(with: name) else { return nil }
        var rest = line.dropFirst(name.count)
        if rest.first == 0x20 { rest = rest.dropFirst() }
        return Array(rest)
    }
}
