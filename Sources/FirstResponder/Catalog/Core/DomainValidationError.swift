/// Why a payload, an import line or a binary record was rejected: a code to match on, the JSON
/// pointer of the offending field (RFC 6901, e.g. `/data/overrideReason`; empty for the whole
/// document) and a message saying what was expected.
///
/// Messages never repeat the offending value: a rejected field may hold exactly the personal data
/// the catalog keeps out of the log (a `youthName`, a free-text description). The pointer names the
/// field; the caller still has the line.
public struct DomainValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of rule was broken; match on it with `==` or in a `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `required`.
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The bytes are not valid JSON.
        public static let malformedJSON = Code("malformedJSON")
        /// A value has the wrong JSON type.
        public static let type = Code("type")
        /// A required field is missing (also: required by an `if`/`then` rule).
        public static let required = Code("required")
        /// A field the object does not define (`additionalProperties: false`).
        public static let unknownField = Code("unknownField")
        /// A field that is defined but not allowed in this combination (e.g. `agencyName` with `LASD`).
        public static let notAllowed = Code("notAllowed")
        /// A string does not match its pattern or format, or an object key its name pattern.
        public static let pattern = Code("pattern")
        /// A value is not one of the enumerated ones (or not the `const`).
        public static let enumValue = Code("enumValue")
        /// A number is outside its minimum/maximum.
        public static let range = Code("range")
        /// A string is too short or too long.
        public static let length = Code("length")
        /// An array or object has too few or too many items.
        public static let count = Code("count")
        /// An array that must hold distinct items holds a duplicate.
        public static let duplicate = Code("duplicate")
        /// A rule beyond the schema (docs/EVENTS.md, *Rules beyond the schema*) is broken.
        public static let rule = Code("rule")
        /// The event is in the wrong stream for its type.
        public static let stream = Code("stream")
        /// The event type is not in the catalog.
        public static let unknownType = Code("unknownType")
        /// The type has no such schema version.
        public static let unknownSchemaVersion = Code("unknownSchemaVersion")
        /// A binary payload is truncated, has trailing bytes or an unknown code.
        public static let malformedBinary = Code("malformedBinary")
        /// The payload encoding cannot be decoded by the catalog (opaque bytes).
        public static let unsupportedEncoding = Code("unsupportedEncoding")
    }

    /// What kind of rule was broken.
    public var code: Code
    /// The JSON pointer of the offending value; empty for the whole document.
    public var pointer: String
    /// What was expected.
    public var message: String

    /// An error at `pointer`.
    public init(_ code: Code, at pointer: String = "", _ message: String) {
        self.code = code
        self.pointer = pointer
        self.message = message
    }

    public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(message)" }

    /// The same error one level deeper: `key` is prepended to the pointer.
    @inlinable
    public func under(_ key: String) -> DomainValidationError {
        var copy = self
        copy.pointer = "/" + JSONPointer.escape(key) + pointer
        return copy
    }

    /// The same error inside array element `index`.
    @inlinable
    public func under(_ index: Int) -> DomainValidationError {
        var copy = self
        copy.pointer = "/" + String(index) + pointer
        return copy
    }
}

/// JSON pointers (RFC 6901).
public enum JSONPointer {
    /// `key` escaped as a pointer token: `~` becomes `~0`, `/` becomes `~1`.
    @inlinable
    public static func escape(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        return key.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    /// The pointer made of `tokens`, each escaped.
    public static func make(_ tokens: String...) -> String {
        tokens.map { "/" + escape($0) }.joined()
    }
}
