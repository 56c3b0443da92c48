import EventStore
import FirstResponder
import Foundation
import Testing

/// `{"command": name, "occurredAt": …, "actor": …, fields}` as JSON text.
private func command(_ name: String, _ fields: String = "") -> String {
    let envelope = #""command":"\#(name)","occurredAt":"2026-03-14T02:13:00Z","actor":"user:dispatcher-7""#
    return "{" + envelope + (fields.isEmpty ? "" : "," + fields) + "}"
}

/// A bad command and where it fails, beyond the schema examples: what only the Swift reader sees.
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
        json: command("request-response", #""caseId":"C-1","role":"advocate""#), code: .pattern, pointer: "/caseId"),
    BadCommand(
        json: command("report-recovery", #""caseId":"C-2026A00017","ageAtContact":"fifteen""#), code: .type,
        pointer: "/ageAtContact"),
]

@Suite("Commands: the JSON form and its schemas")
struct CommandJSONTests {
    @Test("every command has a schema, a generated type and a valid example")
    func catalog() throws {
        let names = Set(CommandJSON.names)
        #expect(names.count == CommandCatalog.entries.count)
        let exampled = Set(SchemaExamples.validCommands.map { String($0.split(separator: ".")[0]) })
        #expect(exampled == names)
        for entry in CommandCatalog.entries {
            let text = try #require(entry.schemaText, "\(entry.name) has no schema in the build")
            #expect(text.contains(#""$id": "urn:vigil:command:\#(entry.name)""#))
            #expect(!entry.appends.isEmpty && entry.appends.allSatisfy { EventCatalog.entry(for: $0) != nil })
        }
    }

    @Test(
        "every valid command example decodes, and its JSON form decodes to the same command",
        arguments: SchemaExamples.validCommands)
    func validExample(_ file: String) throws {
        let bytes = try SchemaExamples.bytes(command: file, valid: true)
        let decoded = try CommandJSON.decode(bytes)
        #expect(decoded.name == String(file.split(separator: ".")[0]))
        let encoded = try #require(CommandJSON.encode(decoded))
        let again = try CommandJSON.decode(encoded)
        #expect(CommandJSON.encode(again) == encoded)
        let original = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let written = try #require(try JSONSerialization.jsonObject(with: Data(encoded)) as? NSDictionary)
        for (key, value) in original {
            #expect(written[key] as? NSObject == value as? NSObject, "\(file): \(key) is written as given")
        }
    }

    @Test(
        "every invalid command example is refused at the pointer the schema validator names",
        arguments: SchemaExamples.invalidCommands)
    func invalidExample(_ file: String) throws {
        let expected = try #require(SchemaExamples.commandExpectations[file], "\(file) has no expectation")
        let bytes = try SchemaExamples.bytes(command: file, valid: false)
        let error = #expect(throws: DomainValidationError.self) { try CommandJSON.decode(bytes) }
        #expect(error?.pointer == expected, "\(file): \(error.map(String.init(describing:)) ?? "accepted")")
    }

    @Test("bad commands are refused at the pointer of the offending field", arguments: badCommands)
    func refused(_ bad: BadCommand) {
        let error = #expect(throws: DomainValidationError.self) { try CommandJSON.decode(Array(bad.json.utf8)) }
        #expect(error?.code == bad.code, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.pointer == bad.pointer, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test("a channel left out is the schema's default, push")
    func defaults() throws {
        let json = command(
            "assign-manually",
            #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","overrideReason":"Knows the youth.""#
        )
        let manual = try #require(try CommandJSON.decode(Array(json.utf8)) as? AssignManually)
        #expect(manual.responderId.rawValue == "R-ADV017" && manual.overrideReason == "Knows the youth.")
        #expect(manual.channel == .push)
    }

    @Test("handle(json:) runs a dispatch end to end and reports rejections with their pointers")
    func handleJSON() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        let recovery = try SchemaExamples.bytes(command: "report-recovery.street-lasd.json", valid: true)
        let reported = try await h.handler.handle(json: recovery)
        #expect(reported.types == ["RecoveryReported", "TimerScheduled", "TimerScheduled"])
        _ = try await h.handler.handle(
            json: Array(command("request-response", #""caseId":"C-2026A00017","role":"advocate""#).utf8))
        let assigned = try await h.handler.handle(
            json: Array(
                command("assign-by-policy", #""caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","channel":"sms""#)
                    .utf8))
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
        #expect(noReason?.code == .invalidCommand && noReason?.field == "/overrideReason")
        let badField = await #expect(throws: CommandRejection.self) {
            try await h.handler.handle(
                json: Array(command("request-response", #""caseId":"C-2026A00017","role":7"#).utf8))
        }
        #expect(badField?.code == .invalidCommand && badField?.field == "/role")
        #expect(try h.head() == head)
    }
}
