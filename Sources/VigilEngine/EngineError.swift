public import EventStore
public import FirstResponder

/// An error opening or using the ``Engine``: a code to match on, a message for a person that names
/// the directory or file concerned and what to do, and the underlying cause.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// There is no Vigil store in the directory (and the engine was asked not to create one).
        public static let notFound = Code("not found")
        /// The store could not be opened: damaged, a newer format, or LMDB failed.
        public static let store = Code("store")
        /// The personal-data vault could not be opened with the given master key file.
        public static let vault = Code("vault")
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String
    /// The underlying error, if any.
    public let cause: (any Error & Sendable)?

    /// An error.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}

extension EngineError.Code {
    /// Lets `catch EngineError.Code.notFound` match an error by its code.
    public static func ~= (pattern: Self, error: any Error) -> Bool {
        (error as? EngineError)?.code == pattern
    }
}
