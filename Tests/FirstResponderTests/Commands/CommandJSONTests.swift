import EventStore
import FirstResponder
import Testing

/// `{"command": name, "occurredAt": …, "actor": …, fields}` as JSON text.
private func command(_ name: String, _ fields: String = "") -> String {
    let envelope = #""command":"\#(name)","occurredAt":"2026-03-14T02:13:00Z","actor":"user:dispatcher-7""#
    return "{" + envelope + (fields.isEmpty ? "" : "," + fields) + "}"
}

private let thresholds =
    #""slaThresholds":{"ADVOCATE-ON-SCENE":5400,"AGENCY-ON-SCENE":5400,"ACKNOWLEDGE":300,"HEALTH-72":259200,"PROTOCOL-72":259200,"HOTLINE-IMMEDIATE":86400}"#

/// One valid JSON object for every command.
private let validCommands: [String: String] = [
    "report-recovery":
        #""caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2026-03-14T01:58:00Z","context":"street","ageAtContact":15,"language":"es","onSupervision":"none","awol":false"#,
    "link-youth-identity":
        #""caseId":"C-2026A00017","sameAsYouthRef":"Y-3F8H6J2L5N","basis":"other","reason":"Matched by the advocate.""#,
    "create-hotline-referral":
        #""caseId":"C-2026A00017","referralNumber":"0123456789012345678","responseCategory":"immediate""#,
    "deem-out-of-scope": #""caseId":"C-2026A00017","reasonCode":"duplicate-report","duplicateOfCaseId":"C-2026A00018""#,
    "request-response": #""caseId":"C-2026A00017","role":"advocate""#,
    "assign-by-policy": #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","channel":"sms""#,
    "assign-manually":
        #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","overrideReason":"Knows the youth.""#,
    "notify": #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","channel":"voice""#,
    "acknowledge": #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","etaMinutes":20"#,
    "decline":
        #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","reasonCode":"too-far""#,
    "en-route": #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017""#,
    "arrive": #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017""#,
    "clear":
        #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","disposition":"handed-off""#,
    "cancel-response": #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","reasonCode":"not-needed""#,
    "handle-timer-fired": #""caseId":"C-2026A00017","timerId":"T-2026A00017-1-ACK-1""#,
    "offer-services": #""caseId":"C-2026A00017","services":["advocacy","placement"]"#,
    "accept-services": #""caseId":"C-2026A00017","services":["advocacy"]"#,
    "decline-services": #""caseId":"C-2026A00017","services":["placement"],"reason":"Wants to go home.""#,
    "complete-medical-evaluation": #""caseId":"C-2026A00017","kind":"forensic""#,
    "decline-medical-evaluation":
        #""caseId":"C-2026A00017","kind":"sart-acute","declinedBy":"youth","ageAtDecline":15"#,
    "decide-placement": #""caseId":"C-2026A00017","kind":"shelter""#,
    "hold-mdt-meeting": #""caseId":"C-2026A00017","participants":["advocate","dcfs"]"#,
    "report-missing": #""caseId":"C-2026A00017","lastSeenAt":"2026-03-15T08:00:00Z","reportedToLawEnforcement":true"#,
    "report-returned": #""caseId":"C-2026A00017","how":"self-returned""#,
    "close-protocol-window": #""caseId":"C-2026A00017""#,
    "close-case": #""caseId":"C-2026A00017","outcome":"services-engaged""#,
    "reopen-case": #""caseId":"C-2026A00017","reasonCode":"new-information","reason":"New facts.""#,
    "seal-record":
        #""caseId":"C-2026A00017","legalBasis":"WIC-781","authorisedBy":"user:judge-clerk-2","courtOrderRef":"JV-2026-0042""#,
    "start-operation":
        #""operationId":"OP-SCV2026A","name":"Operation Safe Harbor","agency":"LASD","area":"SPA2","focus":"buyer-sting""#,
    "end-operation": #""operationId":"OP-SCV2026A""#,
    "record-arrest":
        #""arrestId":"A-2026A0441","role":"buyer","agency":"LASD","station":"SCV","area":"SPA2","arrestedAt":"2026-03-14T01:30:00Z","linkedCaseIds":["C-2026A00017"],"charges":["PC-647(b)"]"#,
    "correct-arrest":
        #""arrestId":"A-2026A0441","corrections":{"role":"exploiter","operationId":null},"reason":"Booking record.""#,
    "void-arrest": #""arrestId":"A-2026A0441","reasonCode":"entered-in-error","reason":"Wrong form.""#,
    "hold-training-session":
        #""sessionId":"TS-2026A001","courseCode":"COURSE-03","courseTitle":"CSEC 101","audienceSector":"law-enforcement","attendees":42"#,
    "start-parent-cohort": #""cohortId":"PC-2026A","weeks":10,"participants":14"#,
    "complete-parent-cohort": #""cohortId":"PC-2026A","participants":14,"completers":12"#,
    "register-responder":
        #""responderId":"R-ADV017","role":"advocate","organization":"SAVING-INNOCENCE","languages":["en","es"],"areas":["SPA2"],"servesAges":{"min":11,"max":18}"#,
    "deactivate-responder": #""responderId":"R-ADV017","reasonCode":"left-organization""#,
    "change-responder-status": #""responderId":"R-ADV017","status":"off-duty""#,
    "schedule-shift":
        #""shiftId":"SH-N0001","responderId":"R-ADV017","startsAt":"2026-03-14T00:00:00Z","endsAt":"2026-03-14T12:00:00Z","onCall":true,"areas":["SPA2"]"#,
    "swap-shift": #""shiftId":"SH-N0001","toResponderId":"R-ADV022","counterpartShiftId":"SH-N0002""#,
    "record-time-off":
        #""timeOffId":"TO-0001","responderId":"R-ADV017","startsAt":"2026-03-14T00:00:00Z","endsAt":"2026-03-15T00:00:00Z","kind":"planned""#,
    "change-policy": #""policyVersion":2,"ackTimeoutSeconds":300,"maxEscalations":3,"# + thresholds
        + #","rankingWeights":{"continuity":100,"workload":10,"rotation":1,"distance":15}"#,
]

/// A bad command and where it fails.
struct BadCommand: Sendable, CustomTestStringConvertible {
    let json: String
    let code: DomainValidationError.Code
    let pointer: String
    var testDescription: String { "\(pointer) \(code): \(json.prefix(80))" }
}

private let badCommands: [BadCommand] = [
    BadCommand(json: "[1]", code: .type, pointer: ""),
    BadCommand(json: #"{"command": "notify""#, code: .malformedJSON, pointer: ""),
    BadCommand(json: #"{"occurredAt":"2026-03-14T02:13:00Z","actor":"user:x"}"#, code: .required, pointer: "/command"),
    BadCommand(json: command("dispatch-everyone"), code: .unknownType, pointer: "/command"),
    BadCommand(
        json: #"{"command":"notify","actor":"user:x","caseId":"C-2026A00017"}"#, code: .required, pointer: "/occurredAt"
    ),
    BadCommand(
        json: #"{"command":"notify","occurredAt":"yesterday","actor":"user:x"}"#, code: .pattern, pointer: "/occurredAt"
    ),
    BadCommand(
        json: #"{"command":"notify","occurredAt":"2026-03-14T02:13:00Z","actor":"Deputy Smith"}"#, code: .pattern,
        pointer: "/actor"),
    BadCommand(json: command("request-response", #""caseId":"C-2026A00017""#), code: .required, pointer: "/role"),
    BadCommand(
        json: command("request-response", #""caseId":"C-1","role":"advocate""#), code: .pattern, pointer: "/caseId"),
    BadCommand(
        json: command("request-response", #""caseId":"C-2026A00017","role":"supervisor""#), code: .enumValue,
        pointer: "/role"),
    BadCommand(
        json: command("report-recovery", validCommands["report-recovery"]! + #","youthName":"Jane""#),
        code: .unknownField, pointer: "/youthName"),
    BadCommand(
        json: command("report-recovery", validCommands["report-recovery"]!.replacing("15", with: "\"fifteen\"")),
        code: .type, pointer: "/ageAtContact"),
    BadCommand(
        json: command("offer-services", #""caseId":"C-2026A00017","services":["advocacy","spa"]"#), code: .enumValue,
        pointer: "/services/1"),
    BadCommand(
        json: command("correct-arrest", #""arrestId":"A-2026A0441","corrections":{"role":"pimp"},"reason":"x""#),
        code: .enumValue, pointer: "/corrections/role"),
    BadCommand(
        json: command(
            "change-policy",
            #""policyVersion":2,"ackTimeoutSeconds":300,"maxEscalations":3,"# + thresholds
                + #","rankingWeights":{"continuity":1,"workload":1}"#),
        code: .required, pointer: "/rankingWeights/rotation"),
    BadCommand(
        json: command(
            "decline",
            #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","reasonCode":"other","reason":"   ""#
        ),
        code: .pattern, pointer: "/reason"),
    BadCommand(
        json:
            #"{"command":"notify","occurredAt":"2026-03-14T02:13:00Z","actor":"user:x","commandId":"42","caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","channel":"sms"}"#,
        code: .pattern, pointer: "/commandId"),
]

@Suite("Commands: JSON form")
struct CommandJSONTests {
    @Test("every command has a JSON form, and these examples decode to it")
    func everyCommandDecodes() throws {
        #expect(Set(CommandJSON.names) == Set(validCommands.keys))
        #expect(CommandJSON.names.count == validCommands.count)
        for (name, fields) in validCommands {
            let decoded = try CommandJSON.decode(Array(command(name, fields).utf8))
            #expect(decoded.name == name)
            #expect(decoded.envelope.occurredAt == Timestamp(rfc3339: "2026-03-14T02:13:00Z"))
            #expect(decoded.envelope.actor == "user:dispatcher-7")
        }
        let manual = try #require(
            try CommandJSON.decode(Array(command("assign-manually", validCommands["assign-manually"]!).utf8))
                as? AssignManually)
        #expect(manual.responderId.rawValue == "R-ADV017" && manual.overrideReason == "Knows the youth.")
        #expect(manual.channel == .push)
    }

    @Test("bad commands are refused at the pointer of the offending field", arguments: badCommands)
    func refused(_ bad: BadCommand) {
        let error = #expect(throws: DomainValidationError.self) { try CommandJSON.decode(Array(bad.json.utf8)) }
        #expect(error?.code == bad.code, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.pointer == bad.pointer, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test("handle(json:) runs a dispatch end to end and reports rejections with their pointers")
    func handleJSON() async throws {
        let h = try CommandHarness()
        try await h.seedCounty()
        let reported = try await h.handler.handle(
            json: Array(command("report-recovery", validCommands["report-recovery"]!).utf8))
        #expect(reported.types == ["RecoveryReported", "TimerScheduled", "TimerScheduled"])
        _ = try await h.handler.handle(
            json: Array(command("request-response", validCommands["request-response"]!).utf8))
        let assigned = try await h.handler.handle(
            json: Array(command("assign-by-policy", validCommands["assign-by-policy"]!).utf8))
        #expect(assigned.first(NotificationSent.self)?.channel == .sms)
        let text = String(decoding: assigned.jsonBytes, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"command":"assign-by-policy","alreadyStored":false,"events":[{"type":"RecommendationComputed""#))

        let head = try h.head()
        let unknown = await #expect(throws: CommandRejection.self) {
            try await h.handler.handle(json: Array(command("dispatch-everyone").utf8))
        }
        #expect(unknown?.code == .unknownCommand && unknown?.field == "/command")
        let noReason = await #expect(throws: CommandRejection.self) {
            try await h.handler.handle(
                json: Array(
                    command(
                        "assign-manually",
                        #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV002""#
                    )
                    .utf8))
        }
        #expect(noReason?.code == .manualAssignmentNeedsReason && noReason?.field == "/overrideReason")
        let badField = await #expect(throws: CommandRejection.self) {
            try await h.handler.handle(
                json: Array(command("request-response", #""caseId":"C-2026A00017","role":7"#).utf8))
        }
        #expect(badField?.code == .invalidCommand && badField?.field == "/role")
        #expect(try h.head() == head)
    }
}
