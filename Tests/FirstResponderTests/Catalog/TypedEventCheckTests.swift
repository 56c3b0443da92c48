import EventStore
import PropertyBased
import Testing

@testable import FirstResponder

/// An event built in Swift is checked by its generated `validateSchema()`, not by writing its JSON
/// form and decoding it: the refusal must be the one decoding gives.
@Suite("Catalog: an event built in Swift is checked as its JSON form")
struct TypedEventCheckTests {
    struct Bad: Sendable, CustomTestStringConvertible {
        var label: String
        var pointer: String
        var event: @Sendable () -> any DomainEvent
        var testDescription: String { label }
    }

    static func recovery(_ change: (inout RecoveryReported) -> Void) -> RecoveryReported {
        var random = RandomEvents(seed: 7)
        var event = random.recoveryReported()
        event.agency = .lasd
        event.agencyName = nil
        change(&event)
        return event
    }

    static let bad: [Bad] = [
        Bad(label: "an unchecked youth reference", pointer: "/data/youthRef") {
            recovery { $0.youthRef = YouthRef(uncheckedRawValue: "Jane") }
        },
        Bad(label: "an age out of bounds", pointer: "/data/ageAtContact") { recovery { $0.ageAtContact = 2 } },
        Bad(label: "OTHER without a name", pointer: "/data/agencyName") { recovery { $0.agency = .other } },
        Bad(label: "a contact past year 9999", pointer: "/data/contactAt") {
            recovery { $0.contactAt = Timestamp(rfc3339: "9999-12-31T23:59:59Z")!.adding(seconds: 1) }
        },
        Bad(label: "a manual assignment without its reason", pointer: "/data/overrideReason") {
            var random = RandomEvents(seed: 11)
            var event = random.responderAssigned()
            event.mode = .manual
            event.overrideReason = nil
            return event
        },
        Bad(label: "a candidate's score that is not a number", pointer: "/data/candidates/0/score") {
            var random = RandomEvents(seed: 3)
            var event = random.recommendationComputed()
            while event.candidates.isEmpty { event = random.recommendationComputed() }
            event.candidates[0].score = .infinity
            return event
        },
    ]

    @Test("a bad event is refused at the pointer decoding its JSON form gives", arguments: bad)
    func refusedAsJSON(_ bad: Bad) {
        let event = bad.event()
        let byType = #expect(throws: DomainValidationError.self) {
            try event.validate(occurredAt: Timestamp(seconds: 4_200_000_000))
        }
        let byJSON = #expect(throws: DomainValidationError.self) {
            _ = try type(of: event).init(jsonBytes: event.jsonBytes())
        }
        #expect(byType?.pointer == bad.pointer, "\(byType.map(String.init(describing:)) ?? "accepted")")
        #expect(byType?.pointer == byJSON.map { "/data" + $0.pointer })
        #expect(byType?.code == byJSON?.code)
        #expect(byType?.message == byJSON?.message)
    }

    @Test("random valid events pass both checks")
    func randomValid() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var random = RandomEvents(seed: seed)
            let event = random.any()
            #expect(throws: Never.self, "seed \(seed)") { try event.validateSchema() }
            #expect(throws: Never.self, "seed \(seed)") { _ = try type(of: event).init(jsonBytes: event.jsonBytes()) }
        }
    }
}
