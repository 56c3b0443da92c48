import Foundation

/// A command's answer (`CommandResult`'s JSON): its events' types, ids and positions, and the
/// string members of each event's data — read by one pass over the bytes that checks the whole
/// document is JSON but builds nothing the load does not use (no tree of every value, no
/// Foundation UUID parsing): a load client's CPU shares the machine with the daemon it measures.
struct CommandAnswer {
    struct Event {
        let type: String
        let id: UUID
        let position: UInt64
        /// The data's members whose values are strings (ids, codes, times), in document order.
        let strings: [(key: String, value: String)]
    }

    let events: [Event]

    /// `nil` unless `body` is one JSON object whose `events` is an array of objects, each with a
    /// string `type`, a UUID `id` and a positive integer `position`.
    init?(_ body: [UInt8]) {
        let events = body.withUnsafeBufferPointer { bytes -> [Event]? in
            var scanner = JSONScanner(bytes)
            return try? scanner.document { (scanner) throws(JSONScanner.Malformed) in try Self.answer(&scanner) }
        }
        guard let events else { return nil }
        self.events = events
    }

    /// The string `field` of the first event of `type`.
    func value(_ type: String, _ field: String) -> String? {
        events.first { $0.type == type }?.strings.first { $0.key == field }?.value
    }

    private static func answer(_ scanner: inout JSONScanner) throws(JSONScanner.Malformed) -> [Event] {
        var events: [Event]?
        try scanner.object { (scanner, key) throws(JSONScanner.Malformed) in
            guard key == "events" else { return try scanner.skipValue() }
            var list: [Event] = []
            try scanner.array { (scanner) throws(JSONScanner.Malformed) in list.append(try event(&scanner)) }
            events = list
        }
        guard let events else { throw JSONScanner.Malformed() }
        return events
    }

    private static func event(_ scanner: inout JSONScanner) throws(JSONScanner.Malformed) -> Event {
        var type: String?
        var id: UUID?
        var position: UInt64?
        var strings: [(key: String, value: String)] = []
        try scanner.object { (scanner, key) throws(JSONScanner.Malformed) in
            switch key {
            case "type": type = try scanner.string()
            case "id": id = try scanner.uuid()
            case "position": position = try scanner.unsignedInteger()
            case "data":
                try scanner.object { (scanner, member) throws(JSONScanner.Malformed) in
                    if scanner.atString {
                        strings.append((member, try scanner.string()))
                    } else {
                        try scanner.skipValue()
                    }
                }
            default: try scanner.skipValue()
            }
        }
        guard let type, let id, let position, position > 0 else { throw JSONScanner.Malformed() }
        return Event(type: type, id: id, position: position, strings: strings)
    }
}
