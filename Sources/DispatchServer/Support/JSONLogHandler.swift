import EventStore
public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A swift-log handler that writes one JSON object per line to standard error: `time` (RFC 3339,
/// UTC), `level`, `label`, `message`, and the metadata (a request's id is `hb.request.id`), so a log
/// collector reads the daemon's log without parsing prose.
public struct JSONLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// The least severe level written.
    public var logLevel: Logger.Level = .info
    /// Metadata on every line.
    public var metadata: Logger.Metadata = [:]

    /// A handler for the logger `label`.
    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var w = JSONWriter()
        w.beginObject()
        w.field("time", Timestamp.now().rfc3339)
        w.field("level", event.level.rawValue)
        w.field("label", label)
        w.field("message", "\(event.message)")
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            w.key(key)
            Self.write(value, &w)
        }
        w.endObject()
        var line = w.bytes
        line.append(10)
        // One write(2) per line, so lines from concurrent requests never interleave.
        line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }

    private static func write(_ value: Logger.Metadata.Value, _ w: inout JSONWriter) {
        switch value {
        case .string(let s): w.string(s)
        case .stringConvertible(let s): w.string(s.description)
        case .array(let list):
            w.beginArray()
            for item in list { write(item, &w) }
            w.endArray()
        case .dictionary(let dict):
            w.beginObject()
            for (k, v) in dict.sorted(by: { $0.key < $1.key }) {
                w.key(k)
                write(v, &w)
            }
            w.endObject()
        }
    }
}
