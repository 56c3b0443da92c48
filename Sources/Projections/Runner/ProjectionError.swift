/// An error of the projections layer: a code to match on, and a message for a person.
public struct ProjectionError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// No projection or view has this name.
        public static let unknownView = Code("unknown view")
        /// The store is read-only, so views cannot be brought up to date or rebuilt.
        public static let readOnly = Code("read-only")
        /// Another process moved the stored view while this one was writing it.
        public static let conflict = Code("conflict")
        /// A query's filter or parameter is not valid.
        public static let invalidQuery = Code("invalid query")
        /// An as-of replay's scratch views could not be made.
        public static let scratch = Code("scratch")
        /// A projection does not keep a promise of its own declaration (a type it says it folds
        /// without its payload, not folded so).
        public static let unsupported = Code("unsupported")
        /// A pass over the log ended with a view not folded through the end it was given — a fault
        /// of the fold, not of the log: nothing of the pass is used.
        public static let incomplete = Code("incomplete")
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String

    /// An error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
