extension DomainValidationError {
    /// A rule beyond the schema is broken at `pointer` (an import line's pointer).
    static func rule(_ pointer: String, _ message: String) -> DomainValidationError {
        DomainValidationError(.rule, at: pointer, message)
    }
}
