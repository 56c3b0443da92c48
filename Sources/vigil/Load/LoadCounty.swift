import EventStore
import FirstResponder

/// The county a load test plays, and the JSON of every command it sends.
///
/// The county is Los Angeles's shipped list (loaded before the daemon starts). Each client is a
/// dispatch desk of one station (client `c` takes station `c` of the list, round the list when
/// there are more clients than stations): its recoveries come from that station, with its agency,
/// in its Service Planning Area, and its advocates are attached to that station and cover that
/// area. Policy v1 gives a station's own advocates a bonus and the load's policy weighs rotation
/// at 0, so a desk's cases go to its own advocates first; desks of one area meet only when one runs
/// short (then the writer's stream expectations decide, and the loser is decided again). Ids carry
/// the run's tag, so runs never collide.
struct LoadCounty: Sendable {
    /// How many concurrent clients (desks).
    let clients: Int
    /// Advocates per desk.
    let respondersPerClient: Int
    /// Seconds an assignment waits for acknowledgement before its timer fires (the policy's, ≥ 30).
    let ackTimeoutSeconds: Int
    /// Upper-case letters and digits naming the run.
    let tag: String
    /// The county's stations: code, agency and area.
    let stations: [(station: String, agency: String, area: String)]

    func area(client: Int) -> String { stations[client % stations.count].area }
    func station(client: Int) -> String { stations[client % stations.count].station }
    func agency(client: Int) -> String { stations[client % stations.count].agency }
    func responderId(client: Int, _ k: Int) -> String { "R-L\(tag)\(client)X\(k)" }
    func caseId(client: Int, _ n: Int) -> String { "C-L\(tag)\(client)N\(n)" }
    func youthRef(client: Int, _ n: Int) -> String { "Y-L\(tag)\(client)N\(digits(n, 6))" }

    // MARK: - Set-up (a supervisor's commands, sent one after another)

    /// The policy in force for the load: the thresholds of the protocol, the ack timeout, rotation off.
    func policyBody() -> [UInt8] {
        object([
            ("policyVersion", "1"), ("ackTimeoutSeconds", String(ackTimeoutSeconds)), ("maxEscalations", "1"),
            (
                "slaThresholds",
                #"{"ADVOCATE-ON-SCENE": 5400, "AGENCY-ON-SCENE": 5400, "ACKNOWLEDGE": 300, "HEALTH-72": 259200, "#
                    + #""PROTOCOL-72": 259200, "HOTLINE-IMMEDIATE": 86400}"#
            ),
            ("rankingWeights", #"{"continuity": 100, "workload": 10, "rotation": 0}"#),
            ("reason", quoted("load test: acknowledgement timers short enough to fire during the run")),
        ])
    }

    func registerBody(client: Int, _ k: Int) -> [UInt8] {
        object([
            ("responderId", quoted(responderId(client: client, k))), ("role", quoted("advocate")),
            ("organization", quoted("LOAD-TEST")), ("languages", #"["en"]"#),
            ("areas", "[\(quoted(area(client: client)))]"), ("stations", "[\(quoted(station(client: client)))]"),
        ])
    }

    /// A shift from `start` for `hours`, on call.
    func shiftBody(client: Int, _ k: Int, start: Timestamp, hours: Int64) -> [UInt8] {
        object([
            ("shiftId", quoted("SH-L\(tag)\(client)X\(k)")), ("responderId", quoted(responderId(client: client, k))),
            ("startsAt", quoted(start.rfc3339)), ("endsAt", quoted(start.adding(seconds: hours * 3600).rfc3339)),
            ("onCall", "true"),
        ])
    }

    // MARK: - A case (a dispatcher's commands)

    func reportBody(client: Int, _ n: Int, contactAt: Timestamp) -> [UInt8] {
        object([
            ("caseId", quoted(caseId(client: client, n))), ("youthRef", quoted(youthRef(client: client, n))),
            ("agency", quoted(agency(client: client))), ("station", quoted(station(client: client))),
            ("area", quoted(area(client: client))), ("contactAt", quoted(contactAt.rfc3339)),
            ("context", quoted("street")),
        ])
    }

    func requestBody(caseId: String) -> [UInt8] {
        object([("caseId", quoted(caseId)), ("role", quoted("advocate"))])
    }

    func assignBody(caseId: String, requestId: String) -> [UInt8] {
        object([("caseId", quoted(caseId)), ("requestId", quoted(requestId))])
    }

    /// acknowledge, en-route, arrive, clear: the responder's steps on the request.
    func fieldBody(caseId: String, requestId: String, responderId: String) -> [UInt8] {
        object([("caseId", quoted(caseId)), ("requestId", quoted(requestId)), ("responderId", quoted(responderId))])
    }

    // MARK: - JSON

    private func object(_ members: [(String, String)]) -> [UInt8] {
        Array(("{" + members.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}").utf8)
    }

    /// Ids and codes here are letters, digits and hyphens: nothing to escape.
    private func quoted(_ text: String) -> String { "\"\(text)\"" }
}

/// `n` in decimal, zero-padded to at least `width` digits.
private func digits(_ n: Int, _ width: Int) -> String {
    let text = String(n)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}
