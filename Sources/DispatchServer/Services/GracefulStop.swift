import ServiceLifecycle

/// Runs `operation` until the daemon shuts down gracefully, then cancels it — and takes that
/// cancellation as the service's ordinary end, not a failure: a `CancellationError` thrown out of
/// a service's `run()` makes swift-service-lifecycle fail the whole group, and `vigil serve` would
/// exit 1 with "Error: CancellationError()" on every SIGTERM or Ctrl-C.
func runUntilGracefulShutdown(_ operation: @Sendable @escaping () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(operation)
    } catch is CancellationError {
        return
    }
}
