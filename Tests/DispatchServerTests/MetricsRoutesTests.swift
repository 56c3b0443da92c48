import DispatchServer
import Foundation
import HummingbirdTesting
import Testing

@Suite("Metrics")
struct MetricsRoutesTests {
    /// The value of `series` (a name with its labels, as Prometheus writes it) in a text-format body.
    static func sample(_ body: String, _ series: String) -> Double? {
        for line in body.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).split(separator: " ")[0])
        }
        return nil
    }

    /// The metric families the deployed alert rules, the load test and the README read.
    static let families = [
        "vigil_http_request_duration_seconds", "vigil_command_append_seconds", "vigil_commands_total",
        "vigil_commit_batch_appends", "vigil_commit_batch_events", "vigil_events_total", "vigil_log_head_position",
        "vigil_timers_pending", "vigil_timers_overdue", "vigil_view_lag_events", "vigil_open_cases",
        "vigil_clocks_at_risk", "vigil_clocks_breached_running",
    ]

    @Test("/metrics for the admin alone: every family, and each appended event counted under its type")
    func exported() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let admin = try bearer(scratch, .admin)
        try await withServer(scratch) { client, _ in
            #expect(try await client.send(.get, "/metrics", dispatcher).status == .forbidden)
            // The registry is the process's: other tests' servers count into it too, so compare
            // with what it held before this test's command.
            let before = try await client.send(.get, "/metrics", admin).text
            let recovery = try await client.send(
                .post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody("C-2026M00001"))
            #expect(recovery.status == .created)
            let recovered = #"vigil_events_total{type="RecoveryReported"}"#
            let scheduled = #"vigil_events_total{type="TimerScheduled"}"#
            var after = ""
            let counted = try await eventually {
                after = try await client.send(.get, "/metrics", admin).text
                return (Self.sample(after, recovered) ?? 0) >= (Self.sample(before, recovered) ?? 0) + 1
                    && (Self.sample(after, scheduled) ?? 0) >= (Self.sample(before, scheduled) ?? 0) + 2
            }
            #expect(counted, "the command's RecoveryReported and two TimerScheduled counted under their types")
            for family in Self.families {
                #expect(after.contains("\n" + family), "\(family) is exported")
            }
            #expect((Self.sample(after, "vigil_log_head_position") ?? 0) > 0)
        }
    }
}
