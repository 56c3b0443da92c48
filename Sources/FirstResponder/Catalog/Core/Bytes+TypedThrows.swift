extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws ``DomainValidationError`` (the standard library's
    /// `rethrows` would widen the error to `any Error`).
    @inline(__always)
    func withValidatedBytes<T>(
        _ body: (UnsafeRawBufferPointer) throws(DomainValidationError) -> T
    ) throws(DomainValidationError) -> T {
        let result = withUnsafeBytes { raw in
            Result { () throws(DomainValidationError) -> T in try body(raw) }
        }
        return try result.get()
    }
}
