import EventStore
import FirstResponder
import Foundation

/// The load's roster, set up by a supervisor one command after another before the desks start.
enum LoadSetUp {
    /// Registers every desk's advocates and schedules each an on-call shift from `shiftStart` for
    /// `hours`, after changing the policy to the load's when `policy` (a daemon the load started;
    /// an attached daemon keeps its own). Returns the log's position after the last command.
    static func roster(
        _ county: LoadCounty, port: UInt16, token: String, policy: Bool, shiftStart: Timestamp, hours: Int64 = 12
    ) throws -> UInt64 {
        let http = LoopbackHTTP(port: port)
        defer { http.close() }
        var position: UInt64 = 0
        func send(_ name: String, _ body: [UInt8]) throws {
            let response: LoopbackHTTP.Response
            do {
                response = try http.send("POST", "/v1/commands/\(name)", token: token, body: body)
            } catch {
                throw CLIError("set-up: \(name): \(error)")
            }
            guard response.status == 201, let answer = CommandAnswer(response.body) else {
                throw CLIError(
                    "set-up: \(name) answered \(response.status): \(String(decoding: response.body.prefix(400), as: UTF8.self))"
                )
            }
            position = max(position, answer.events.map(\.position).max() ?? 0)
        }
        if policy { try send("change-policy", county.policyBody()) }
        for client in 0..<county.clients {
            for k in 0..<county.respondersPerClient {
                try send("register-responder", county.registerBody(client: client, k))
                try send("schedule-shift", county.shiftBody(client: client, k, start: shiftStart, hours: hours))
            }
        }
        return position
    }

    /// The daemon's clock (`GET /v1/clock`): its time and how many times as fast as the wall's it runs.
    static func clock(port: UInt16, token: String) throws -> (now: Timestamp, rate: Double) {
        let http = LoopbackHTTP(port: port)
        defer { http.close() }
        let response: LoopbackHTTP.Response
        do {
            response = try http.send("GET", "/v1/clock", token: token)
        } catch {
            throw CLIError("GET /v1/clock on 127.0.0.1:\(port): \(error)")
        }
        guard response.status == 200, let object = (try? JSONValue(parsing: response.body))?.objectValue,
            let now = object["now"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
        else {
            throw CLIError(
                "GET /v1/clock answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))"
            )
        }
        return (now, object["rate"]?.doubleValue ?? 1)
    }
}
