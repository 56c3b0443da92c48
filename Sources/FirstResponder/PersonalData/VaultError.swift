import LMDB

/// An error from the personal-data vault: a code to match on, a message for a person that names the
/// field or youth concerned, and the underlying cause when there is one.
///
/// ```swift
/// do { try vault.store(details, for: ref, using: &rng) }
/// catch VaultError.Code.sealed { … }             // the youth's record was sealed
/// catch let error as VaultError where error.code == .invalidInput { print(error.field ?? "") }
/// ```
public struct VaultError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// An input is malformed; ``VaultError/field`` names it. Nothing was written.
        public static let invalidInput = Code("invalid input")
        /// The master key is not the one the vault was created with.
        public static let wrongMasterKey = Code("wrong master key")
        /// The youth's record is sealed: its personal data was destroyed and cannot be stored again.
        public static let sealed = Code("sealed")
        /// A key file cannot be used (missing, unreadable, malformed, too widely readable, or inside
        /// the data directory).
        public static let keyFile = Code("key file")
        /// Stored vault data is damaged or was moved from another youth.
        public static let corrupted = Code("corrupted")
        /// The vault was written in a newer format than this build reads.
        public static let unsupportedFormat = Code("unsupported format")
        /// A read-only environment holds no vault.
        public static let notFound = Code("not found")
        /// LMDB failed.
        public static let storage = Code("storage")
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String
    /// The input field at fault, for ``Code/invalidInput`` (`youthRef`, `dateOfBirth`, …).
    public let field: String?
    /// The underlying error, if any.
    public let cause: (any Error & Sendable)?

    /// An error.
    public init(_ code: Code, _ message: String, field: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(message) (\(cause))" }
        return message
    }

    /// What to do about a damaged vault.
    public static let remedy =
        "stop using the store, keep it aside for inspection, and restore the latest backup (vigil backup), "
        + "which holds the vault"

    /// The vault is damaged: `problem`, and ``remedy``.
    static func damaged(_ problem: String) -> VaultError {
        VaultError(.corrupted, "the personal-data vault is damaged: \(problem) — \(remedy)")
    }

    /// A malformed input, naming the field.
    static func invalid(_ field: String, _ message: String) -> VaultError {
        VaultError(.invalidInput, "\(field) \(message)", field: field)
    }

    /// Runs `body`, turning damage LMDB or Vigil's own checks found into a ``Code/corrupted`` error
    /// (``damaged(_:)``) and any other error that is not a ``VaultError`` into a ``Code/storage`` one.
    static func wrappingStorage<R>(_ operation: String, _ body: () throws -> R) throws(VaultError) -> R {
        do {
            return try body()
        } catch let error as VaultError {
            throw error
        } catch let error as LMDBError where error.meansDamage {
            throw damaged("\(error.detail ?? error.cause) (\(operation))")
        } catch {
            throw VaultError(.storage, "\(operation) failed: \(error)", cause: error)
        }
    }
}

extension VaultError.Code {
    /// Lets `catch VaultError.Code.sealed` match an error by its code.
    public static func ~= (pattern: Self, error: any Error) -> Bool {
        (error as? VaultError)?.code == pattern
    }
}
