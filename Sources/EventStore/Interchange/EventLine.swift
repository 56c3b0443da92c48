import Foundation

/// One line of NDJSON, the external form of an event for `vigil import` and `vigil export`.
///
/// Import reads:
/// `{"stream", "type", "id"?, "expectedVersion"?, "schemaVersion"?, "occurredAt", "actor",
///   "correlationId"?, "causationId"?, "metadata"?, "data"}`.
/// Export writes the same plus the envelope the store assigned: `position`, `version`,
/// `recordedAt`, `hash`. Import accepts an export line: `version` then acts as the expected
/// version (the stream must be at `version - 1`), and `position`, `recordedAt` and `hash` are
/// checked only by a raw restore.
public enum EventLine {
    /// An import line, parsed.
    public struct Parsed: Sendable {
        /// The event.
        public var event: NewEvent
        /// The stream's version before this event, if the line demands one.
        public var expectedVersion: ExpectedVersion?
        /// From an export line: the envelope the original store assigned.
        public var exported: Exported?
        /// Whether the line gave `schemaVersion` (otherwise it is 1 here, and a domain layer may
        /// choose the type's current version instead).
        public var schemaVersionGiven: Bool
        /// True when the line's `data` is JSON but `dataEncoding` says the stored payload was a
        /// domain binary codec's: ``NewEvent/payload`` then holds the JSON, for the domain layer to
        /// encode before appending (``NewEvent/payloadEncoding`` is already `.binary`).
        public var dataNeedsDomainEncoding: Bool
    }

    /// The store-assigned envelope carried by an export line.
    public struct Exported: Sendable {
        /// The original position.
        public var position: UInt64?
        /// The original recordedAt.
        public var recordedAt: Timestamp?
        /// The original chain hash.
        public var hash: [UInt8]?
    }

    /// A line that could not be imported: the field and what was expected.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        /// The field at fault (a JSON path like `data` or `expectedVersion`), or empty for the line.
        public var field: String
        /// What was expected and found.
        public var message: String
        public var description: String { field.isEmpty ? message : "field '\(field)': \(message)" }

        /// A complaint about `field`.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    private static let known: Set<String> = [
        "stream", "type", "id", "expectedVersion", "schemaVersion", "occurredAt", "actor", "correlationId",
        "causationId", "metadata", "data", "dataBase64", "dataEncoding", "position", "version", "recordedAt", "hash",
    ]

    /// Parses one line.
    public static func parse(_ line: some Collection<UInt8>) throws(Invalid) -> Parsed {
        let object: [String: Any]
        do {
            guard let o = try JSONSerialization.jsonObject(with: Data(line), options: []) as? [String: Any] else {
                throw Invalid(field: "", message: "expected a JSON object")
            }
            object = o
        } catch let e as Invalid {
            throw e
        } catch {
            throw Invalid(field: "", message: "not valid JSON (\(Self.reason(error)))")
        }
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw Invalid(
                field: unknown, message: "unknown field; expected one of \(known.sorted().joined(separator: ", "))")
        }
        let stream = try string(object, "stream", required: true)!
        let type = try string(object, "type", required: true)!
        let actor = try string(object, "actor", required: true)!
        let occurredText = try string(object, "occurredAt", required: true)!
        guard let occurredAt = Timestamp(rfc3339: occurredText) else {
            throw Invalid(
                field: "occurredAt",
                message: "expected an RFC 3339 timestamp like 2026-03-14T02:13:00Z, got \"\(occurredText)\"")
        }
        let id = try uuid(object, "id")
        let correlationId = try uuid(object, "correlationId")
        let causationId = try uuid(object, "causationId")
        var schemaVersion: UInt16 = 1
        if let v = object["schemaVersion"] {
            guard let n = integer(v), n >= 1, n <= Int(UInt16.max) else {
                throw Invalid(field: "schemaVersion", message: "expected an integer from 1 to 65535")
            }
            schemaVersion = UInt16(n)
        }
        var metadata: [UInt8] = []
        if let m = object["metadata"] {
            guard m is [String: Any] else { throw Invalid(field: "metadata", message: "expected a JSON object") }
            metadata = canonicalJSON(m)
        }
        let payload: [UInt8]
        let encoding: PayloadEncoding
        var needsDomainEncoding = false
        if let data = object["data"] {
            guard data is [String: Any] else { throw Invalid(field: "data", message: "expected a JSON object") }
            guard object["dataBase64"] == nil else {
                throw Invalid(field: "dataBase64", message: "give either data or dataBase64, not both")
            }
            payload = canonicalJSON(data)
            switch object["dataEncoding"] as? String {
            case nil, "json"?:
                encoding = .json
            case "binary"?:
                encoding = .binary
                needsDomainEncoding = true
            default:
                throw Invalid(field: "dataEncoding", message: "with data, expected \"json\" or \"binary\"")
            }
        } else if let b64 = object["dataBase64"] {
            guard let text = b64 as? String, let decoded = Data(base64Encoded: text) else {
                throw Invalid(field: "dataBase64", message: "expected base64 text")
            }
            payload = Array(decoded)
            let name = (object["dataEncoding"] as? String) ?? "bytes"
            guard let e = PayloadEncoding.named(name), e != .json else {
                throw Invalid(field: "dataEncoding", message: "expected \"bytes\" or \"binary\", got \"\(name)\"")
            }
            encoding = e
        } else {
            throw Invalid(field: "data", message: "required: the event's payload as a JSON object")
        }

        var expected: ExpectedVersion?
        if let e = object["expectedVersion"] {
            expected = try expectedVersion(e)
        }
        var exported: Exported?
        var verbatimData: [UInt8]?
        if object["position"] != nil || object["recordedAt"] != nil || object["hash"] != nil || object["version"] != nil
        {
            var x = Exported()
            if let p = object["position"] {
                guard let n = integer(p), n >= 1 else {
                    throw Invalid(field: "position", message: "expected an integer ≥ 1")
                }
                x.position = UInt64(n)
            }
            if let r = object["recordedAt"] {
                guard let text = r as? String, let t = Timestamp(rfc3339: text) else {
                    throw Invalid(field: "recordedAt", message: "expected an RFC 3339 timestamp")
                }
                x.recordedAt = t
            }
            if let h = object["hash"] {
                guard let text = h as? String, let bytes = Bytes.unhex(text), bytes.count == 32 else {
                    throw Invalid(field: "hash", message: "expected 64 hexadecimal digits")
                }
                x.hash = bytes
            }
            if let v = object["version"] {
                guard let n = integer(v), n >= 1 else {
                    throw Invalid(field: "version", message: "expected an integer ≥ 1")
                }
                if expected == nil { expected = .exactly(UInt64(n - 1)) }
            }
            exported = x
            // An export line is restored byte for byte: take data and metadata as written.
            let bytes = Array(line)
            bytes.withUnsafeBytes { raw in
                if object["metadata"] != nil, let span = JSONSpan.value(of: "metadata", in: raw) {
                    metadata = Array(raw[span])
                }
                if encoding == .json, let span = JSONSpan.value(of: "data", in: raw) {
                    verbatimData = Array(raw[span])
                }
            }
        }
        let event = NewEvent(
            id: id, stream: stream, type: type, schemaVersion: schemaVersion, occurredAt: occurredAt, actor: actor,
            correlationId: correlationId, causationId: causationId, metadata: metadata,
            payload: verbatimData ?? payload,
            payloadEncoding: encoding)
        return Parsed(
            event: event, expectedVersion: expected, exported: exported,
            schemaVersionGiven: object["schemaVersion"] != nil,
            dataNeedsDomainEncoding: needsDomainEncoding)
    }

    /// The export line for `event` (no trailing newline). `renderBinary` turns a domain binary
    /// payload into its JSON form (the line then says `"dataEncoding": "binary"` and gives `data`);
    /// without it, or when it returns `nil`, such payloads are exported as base64.
    public static func export(_ event: RecordedEvent, renderBinary: ((RecordedEvent) -> [UInt8]?)? = nil) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("position", event.position)
        w.field("stream", event.stream)
        w.field("version", event.version)
        w.field("id", event.id.uuidString.lowercased())
        w.field("type", event.type)
        w.field("schemaVersion", event.schemaVersion)
        w.field("occurredAt", event.occurredAt.rfc3339)
        w.field("recordedAt", event.recordedAt.rfc3339)
        w.field("actor", event.actor)
        if let c = event.correlationId { w.field("correlationId", c.uuidString.lowercased()) }
        if let c = event.causationId { w.field("causationId", c.uuidString.lowercased()) }
        if !event.metadata.isEmpty {
            w.key("metadata")
            w.raw(event.metadata)
        }
        switch event.payloadEncoding {
        case .json:
            w.key("data")
            w.raw(event.payload.isEmpty ? Array("{}".utf8) : event.payload)
        case .binary:
            if let json = renderBinary?(event) {
                w.field("dataEncoding", "binary")
                w.key("data")
                w.raw(json)
            } else {
                w.field("dataEncoding", "binary")
                w.field("dataBase64", Data(event.payload).base64EncodedString())
            }
        case .bytes:
            w.field("dataEncoding", event.payloadEncoding.name)
            w.field("dataBase64", Data(event.payload).base64EncodedString())
        }
        w.field("hash", event.hashHex)
        w.endObject()
        return w.bytes
    }

    /// The acknowledgement line for an appended event.
    public static func acknowledgement(_ event: AppendedEvent) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("id", event.id.uuidString.lowercased())
        w.field("position", event.position)
        w.field("stream", event.stream)
        w.field("version", event.version)
        w.endObject()
        return w.bytes
    }

    /// Compact JSON with sorted keys: the stored form of JSON payloads and metadata.
    public static func canonicalJSON(_ value: Any) -> [UInt8] {
        (try? Array(JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])))
            ?? []
    }

    // MARK: - Field helpers

    private static func string(_ o: [String: Any], _ field: String, required: Bool) throws(Invalid) -> String? {
        guard let v = o[field] else {
            if required { throw Invalid(field: field, message: "required") }
            return nil
        }
        guard let s = v as? String else { throw Invalid(field: field, message: "expected a string") }
        return s
    }

    private static func uuid(_ o: [String: Any], _ field: String) throws(Invalid) -> UUID? {
        guard let v = o[field] else { return nil }
        guard let s = v as? String, let id = UUID(uuidString: s) else {
            throw Invalid(field: field, message: "expected a UUID like 0190f1c2-7a4e-7b1d-9c3a-5e2f4d6b8a10")
        }
        return id
    }

    private static func integer(_ v: Any) -> Int? {
        // JSON booleans arrive as a subclass of NSNumber; numbers as NSNumber itself.
        guard let n = v as? NSNumber, ObjectIdentifier(type(of: n)) == ObjectIdentifier(NSNumber.self) else {
            return nil
        }
        let d = n.doubleValue
        guard d == d.rounded(), abs(d) < 9e15 else { return nil }
        return n.intValue
    }

    private static func expectedVersion(_ v: Any) throws(Invalid) -> ExpectedVersion {
        if let s = v as? String {
            switch s {
            case "any": return .any
            case "noStream": return .noStream
            case "exists": return .streamExists
            default: break
            }
        } else if let n = integer(v), n >= 0 {
            return .exactly(UInt64(n))
        }
        throw Invalid(field: "expectedVersion", message: "expected an integer ≥ 0, \"any\", \"noStream\" or \"exists\"")
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        return (ns.userInfo["NSDebugDescription"] as? String) ?? ns.localizedDescription
    }
}

extension PayloadEncoding {
    /// The name used in export lines.
    public var name: String {
        switch self {
        case .bytes: "bytes"
        case .json: "json"
        case .binary: "binary"
        }
    }

    /// The encoding with `name`.
    public static func named(_ name: String) -> PayloadEncoding? {
        allCases.first { $0.name == name }
    }
}
