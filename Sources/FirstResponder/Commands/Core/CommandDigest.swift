import Crypto
import EventStore
import Foundation

/// What makes a command the command it is, for idempotency: its canonical JSON and that JSON's
/// SHA-256.
///
/// A command sent again under the same `commandId` is a retry only if its digest is the one stored
/// with the first one's events (in their metadata, `commandDigest`); anything else — another
/// case, another responder, another `occurredAt` or actor — is a different command, refused rather
/// than answered with the first one's events.
///
/// The canonical JSON is built from the command's value, not from the text it came in, so the same
/// command gives the same digest whether it was decoded from JSON (in any key order, with any
/// spacing or time-zone offset) or built in Swift: an object with `command` (the name), the
/// envelope's fields, and the command's own stored properties, keys sorted, absent optionals left
/// out; identifiers and enums as their raw values, times as RFC 3339 in UTC, UUIDs in lower case.
public enum CommandDigest {
    /// The canonical JSON of `command`.
    public static func canonicalJSON(_ command: any Command) -> [UInt8] {
        var members: [(String, Any)] = [("command", command.name)]
        let envelope = command.envelope
        members.append(("occurredAt", envelope.occurredAt))
        members.append(("actor", envelope.actor))
        if let id = envelope.commandId { members.append(("commandId", id)) }
        if let id = envelope.correlationId { members.append(("correlationId", id)) }
        for child in Mirror(reflecting: command).children {
            guard let label = child.label, label != "envelope" else { continue }
            members.append((label, child.value))
        }
        var writer = JSONWriter()
        writeObject(members, into: &writer)
        return writer.bytes
    }

    /// The SHA-256 of ``canonicalJSON(_:)``, in lower-case hex.
    public static func digest(_ command: any Command) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: canonicalJSON(command)) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    // MARK: - Canonical writing

    private static func writeObject(_ members: [(String, Any)], into w: inout JSONWriter) {
        w.beginObject()
        for (key, value) in members.sorted(by: { $0.0 < $1.0 }) where !isAbsent(value) {
            w.key(key)
            write(value, into: &w)
        }
        w.endObject()
    }

    private static func isAbsent(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }

    private static func write(_ value: Any, into w: inout JSONWriter) {
        switch value {
        case let s as String: w.string(s)
        case let b as Bool: w.bool(b)
        case let t as Timestamp: w.string(t.rfc3339)
        case let u as UUID: w.string(u.uuidString.lowercased())
        case let d as Double: w.number(d)
        case let i as any BinaryInteger: writeInteger(i, into: &w)
        case let r as any RawRepresentable: write(rawValue(of: r), into: &w)
        default: writeStructured(value, into: &w)
        }
    }

    private static func writeInteger<T: BinaryInteger>(_ value: T, into w: inout JSONWriter) { w.number(value) }

    private static func rawValue<R: RawRepresentable>(of value: R) -> Any { value.rawValue }

    private static func canonicalText(_ value: Any) -> String {
        var w = JSONWriter()
        write(value, into: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private static func writeStructured(_ value: Any, into w: inout JSONWriter) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first { write(wrapped.value, into: &w) } else { w.null() }
        case .collection, .tuple:
            w.beginArray()
            for child in mirror.children { write(child.value, into: &w) }
            w.endArray()
        case .set:
            w.beginArray()
            for text in mirror.children.map({ canonicalText($0.value) }).sorted() { w.raw(text.utf8) }
            w.endArray()
        case .dictionary:
            let pairs = mirror.children.compactMap { child -> (String, Any)? in
                let pair = Array(Mirror(reflecting: child.value).children)
                guard pair.count == 2 else { return nil }
                let key = pair[0].value as? String ?? canonicalText(pair[0].value)
                return (key, pair[1].value)
            }
            writeObject(pairs, into: &w)
        case .enum where mirror.children.isEmpty:
            w.string(String(describing: value))
        default:
            let members = mirror.children.enumerated().map { index, child in (child.label ?? "\(index)", child.value) }
            writeObject(members, into: &w)
        }
    }
}
