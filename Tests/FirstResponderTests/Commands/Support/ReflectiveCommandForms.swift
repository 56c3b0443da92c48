import EventStore
import FirstResponder
import Foundation

/// The reflective forms the command path used before they were generated (until this change:
/// `CommandDigest.canonicalJSON` and `CommandTimes.all` walked a command with `Mirror`), kept as the
/// oracle the generated code is compared with: stored digests must not change.
enum ReflectiveCommandForms {
    /// The canonical JSON as the reflective walk wrote it.
    static func canonicalJSON(_ command: any Command) -> [UInt8] {
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

    /// Every timestamp with its pointer as the reflective walk found them (Swift labels; it did not
    /// look inside a `Nullable`).
    static func times(_ command: any Command) -> [(pointer: String, time: Timestamp)] {
        var found: [(String, Timestamp)] = [("/occurredAt", command.envelope.occurredAt)]
        for child in Mirror(reflecting: command).children {
            guard let label = child.label, label != "envelope" else { continue }
            collect(child.value, at: "/" + label, into: &found)
        }
        return found
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
