import EventStore

/// Every time a command carries — its envelope's `occurredAt` and each of its own timestamp fields
/// (`contactAt`, `startsAt`, …, at any depth) — with the JSON pointer the command's JSON form gives
/// it, so a time the protocol cannot count from is refused at the field the user sent.
///
/// The fields are found from the command's value (the same reflection ``CommandDigest`` writes the
/// canonical JSON from), so a new command's times are checked without a list to keep.
enum CommandTimes {
    /// The latest time a command may carry: every time the protocol derives from one — a timer's
    /// due time, a deadline, at most 7 days later (PolicyChanged's largest threshold) — must still be
    /// a timestamp of the catalog (a four-digit year), or the refusal would name a field the user
    /// never sent.
    static let latest = Timestamp(rfc3339: "9999-12-31T23:59:59.999999Z")!.adding(seconds: -7 * 86_400)

    /// Every timestamp of `command`, `/occurredAt` first, then its fields in declaration order.
    static func all(in command: any Command) -> [(pointer: String, time: Timestamp)] {
        var found: [(String, Timestamp)] = [("/occurredAt", command.envelope.occurredAt)]
        for child in Mirror(reflecting: command).children {
            guard let label = child.label, label != "envelope" else { continue }
            collect(child.value, at: "/" + label, into: &found)
        }
        return found
    }

    /// Refuses `command` when one of its times is later than ``latest``, naming the first. `json` is
    /// the command's JSON form (``CommandJSON/encode(_:)``) when the caller has it: a time that late
    /// is in the year 9999, so a form without `9999-` has none, and the reflection over the command's
    /// fields (costlier than checking the command against its schema) is skipped.
    static func check(_ command: any Command, json: [UInt8]? = nil) throws(CommandRejection) {
        if let json, !contains(json, Self.lateYear) { return }
        guard let (pointer, time) = all(in: command).first(where: { $0.time > latest }) else { return }
        let name = pointer.split(separator: "/").last.map(String.init) ?? pointer
        throw CommandRejection(
            .invalidCommand,
            "\(name) \(time) is too late: the protocol's clocks run up to 7 days past a command's times (the "
                + "largest policy threshold) and must end within the year 9999; expected a time up to \(latest)",
            field: pointer)
    }

    /// The year every time later than ``latest`` has, as the JSON form writes it (RFC 3339, UTC).
    private static let lateYear = Array("\"9999-".utf8)

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    private static func collect(_ value: Any, at pointer: String, into found: inout [(String, Timestamp)]) {
        if let time = value as? Timestamp {
            found.append((pointer, time))
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first { collect(wrapped.value, at: pointer, into: &found) }
        case .collection, .set:
            for (index, child) in mirror.children.enumerated() {
                collect(child.value, at: "\(pointer)/\(index)", into: &found)
            }
        case .dictionary:
            for child in mirror.children {
                let pair = Array(Mirror(reflecting: child.value).children)
                guard pair.count == 2 else { continue }
                collect(pair[1].value, at: "\(pointer)/\(pair[0].value)", into: &found)
            }
        case .struct, .class:
            for child in mirror.children {
                guard let label = child.label else { continue }
                collect(child.value, at: "\(pointer)/\(label)", into: &found)
            }
        default:
            return
        }
    }
}
