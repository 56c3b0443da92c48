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

    /// The fields a line may have.
    private enum Field: Int, CaseIterable {
        case stream, type, id, expectedVersion, schemaVersion, occurredAt, actor, correlationId, causationId
        case metadata, data, dataBase64, dataEncoding, position, version, recordedAt, hash

        static let names: [[UInt8]] = allCases.map { Array("\($0)".utf8) }
    }

    /// Where each field's value lies in the line.
    private struct Fields {
        private var ranges = [Range<Int>?](repeating: nil, count: Field.allCases.count)
        subscript(_ field: Field) -> Range<Int>? {
            get { ranges[field.rawValue] }
            set { ranges[field.rawValue] = newValue }
        }
    }

    private static let known = Field.allCases.map { "\($0)" }

    /// Parses one line. The line is read once, by a strict scanner (no JSON tree): envelope fields
    /// are decoded, and `data` and `metadata` are taken as the bytes they were written as — kept
    /// verbatim from an export line (its chain hash covers them), put in canonical form (sorted keys)
    /// from a plain line, and handed to the domain codec when they are a binary event's JSON.
    public static func parse(_ line: some Collection<UInt8>) throws(Invalid) -> Parsed {
        let bytes = Array(line)
        do {
            return try bytes.withUnsafeBytes { try parse($0) }
        } catch let invalid as Invalid {
            throw invalid
        } catch {
            throw Invalid(field: "", message: "\(error)")
        }
    }

    /// Parses one line in place (see ``parse(_:)-swift.type.method``).
    public static func parse(_ raw: UnsafeRawBufferPointer) throws(Invalid) -> Parsed {
        let scanner = JSONScanner(raw)
        var fields = Fields()
        do {
            for member in try scanner.members() {
                // Keys are matched as bytes; one written with escapes is decoded first.
                var field = Field.allCases.first { scanner.string(member.key, equals: Field.names[$0.rawValue]) }
                if field == nil {
                    let key = try scanner.string(member.key)
                    field = Field.allCases.first { "\($0)" == key }
                    guard field != nil else {
                        throw Invalid(
                            field: key,
                            message: "unknown field; expected one of \(known.sorted().joined(separator: ", "))")
                    }
                }
                guard let field, fields[field] == nil else { throw Invalid(field: "\(field!)", message: "given twice") }
                fields[field] = member.value
            }
        } catch let malformed as JSONScanner.Malformed {
            throw Invalid(
                field: "",
                message: malformed.message == "expected a JSON object"
                    ? malformed.message : "not valid JSON (\(malformed))")
        } catch let invalid as Invalid {
            throw invalid
        } catch {
            throw Invalid(field: "", message: "\(error)")
        }
        func string(_ field: Field, required: Bool = false) throws(Invalid) -> String? {
            guard let range = fields[field] else {
                if required { throw Invalid(field: "\(field)", message: "required") }
                return nil
            }
            guard scanner.starts(range, with: UInt8(ascii: "\"")), let text = try? scanner.string(range) else {
                throw Invalid(field: "\(field)", message: "expected a string")
            }
            return text
        }
        func uuid(_ field: Field) throws(Invalid) -> UUID? {
            guard let range = fields[field] else { return nil }
            // The usual form is read in place; anything else (escapes, upper case braces) the long way.
            if let id = scanner.uuid(range) { return id }
            guard let text = try? string(field), let id = UUID(text: text) else {
                throw Invalid(field: "\(field)", message: "expected a UUID like 0190f1c2-7a4e-7b1d-9c3a-5e2f4d6b8a10")
            }
            return id
        }
        func integer(_ field: Field) -> Int?? {
            fields[field].map { scanner.integer($0) }
        }
        func object(_ field: Field) throws(Invalid) -> [UInt8]? {
            guard let range = fields[field] else { return nil }
            guard scanner.starts(range, with: UInt8(ascii: "{")) else {
                throw Invalid(field: "\(field)", message: "expected a JSON object")
            }
            return Array(raw[range])
        }

        let stream = try string(.stream, required: true)!
        let type = try string(.type, required: true)!
        let actor = try string(.actor, required: true)!
        let occurredText = try string(.occurredAt, required: true)!
        guard let occurredAt = Timestamp(rfc3339: occurredText) else {
            throw Invalid(
                field: "occurredAt",
                message: "expected an RFC 3339 timestamp like 2026-03-14T02:13:00Z, got \"\(occurredText)\"")
        }
        let id = try uuid(.id)
        let correlationId = try uuid(.correlationId)
        let causationId = try uuid(.causationId)
        var schemaVersion: UInt16 = 1
        if let v = integer(.schemaVersion) {
            guard let n = v, n >= 1, n <= Int(UInt16.max) else {
                throw Invalid(field: "schemaVersion", message: "expected an integer from 1 to 65535")
            }
            schemaVersion = UInt16(n)
        }
        let isExport = [Field.position, .recordedAt, .hash, .version].contains { fields[$0] != nil }
        // An export line is restored byte for byte: data and metadata as written. A plain line's are
        // stored in canonical form.
        var metadata: [UInt8] = []
        if let m = try object(.metadata) { metadata = isExport ? m : canonicalJSON(bytes: m) }
        let payload: [UInt8]
        let encoding: PayloadEncoding
        var needsDomainEncoding = false
        let dataEncoding = try string(.dataEncoding)
        if let data = try object(.data) {
            guard fields[.dataBase64] == nil else {
                throw Invalid(field: "dataBase64", message: "give either data or dataBase64, not both")
            }
            switch dataEncoding {
            case nil, "json"?:
                encoding = .json
                payload = isExport ? data : canonicalJSON(bytes: data)
            case "binary"?:
                // JSON for the domain's codec to encode; any key order reads the same.
                encoding = .binary
                payload = data
                needsDomainEncoding = true
            default:
                throw Invalid(field: "dataEncoding", message: "with data, expected \"json\" or \"binary\"")
            }
        } else if fields[.dataBase64] != nil {
            guard let text = try? string(.dataBase64), let decoded = Data(base64Encoded: text) else {
                throw Invalid(field: "dataBase64", message: "expected base64 text")
            }
            payload = Array(decoded)
            let name = dataEncoding ?? "bytes"
            guard let e = PayloadEncoding.named(name), e != .json else {
                throw Invalid(field: "dataEncoding", message: "expected \"bytes\" or \"binary\", got \"\(name)\"")
            }
            encoding = e
        } else {
            throw Invalid(field: "data", message: "required: the event's payload as a JSON object")
        }

        var expected: ExpectedVersion?
        if let range = fields[.expectedVersion] {
            if let n = scanner.integer(range), n >= 0 {
                expected = .exactly(UInt64(n))
            } else {
                switch try? string(.expectedVersion) {
                case "any"?: expected = .any
                case "noStream"?: expected = .noStream
                case "exists"?: expected = .streamExists
                default:
                    throw Invalid(
                        field: "expectedVersion",
                        message: "expected an integer ≥ 0, \"any\", \"noStream\" or \"exists\"")
                }
            }
        }
        var exported: Exported?
        if isExport {
            var x = Exported()
            if let p = integer(.position) {
                guard let n = p, n >= 1 else { throw Invalid(field: "position", message: "expected an integer ≥ 1") }
                x.position = UInt64(n)
            }
            if fields[.recordedAt] != nil {
                guard let text = try? string(.recordedAt), let t = Timestamp(rfc3339: text) else {
                    throw Invalid(field: "recordedAt", message: "expected an RFC 3339 timestamp")
                }
                x.recordedAt = t
            }
            if fields[.hash] != nil {
                guard let text = try? string(.hash), let bytes = Hex.decode(text), bytes.count == 32 else {
                    throw Invalid(field: "hash", message: "expected 64 hexadecimal digits")
                }
                x.hash = bytes
            }
            if let v = integer(.version) {
                guard let n = v, n >= 1 else { throw Invalid(field: "version", message: "expected an integer ≥ 1") }
                if expected == nil { expected = .exactly(UInt64(n - 1)) }
            }
            exported = x
        }
        let event = NewEvent(
            id: id, stream: stream, type: type, schemaVersion: schemaVersion, occurredAt: occurredAt, actor: actor,
            correlationId: correlationId, causationId: causationId, metadata: metadata, payload: payload,
            payloadEncoding: encoding)
        return Parsed(
            event: event, expectedVersion: expected, exported: exported,
            schemaVersionGiven: fields[.schemaVersion] != nil,
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
        w.field("id", event.id.lowercaseText)
        w.field("type", event.type)
        w.field("schemaVersion", event.schemaVersion)
        w.field("occurredAt", event.occurredAt.rfc3339)
        w.field("recordedAt", event.recordedAt.rfc3339)
        w.field("actor", event.actor)
        if let c = event.correlationId { w.field("correlationId", c.lowercaseText) }
        if let c = event.causationId { w.field("causationId", c.lowercaseText) }
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
        w.field("id", event.id.lowercaseText)
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

    /// The canonical form of a JSON object's text (checked well formed already).
    static func canonicalJSON(bytes: [UInt8]) -> [UInt8] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: []) else { return bytes }
        return canonicalJSON(value)
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
