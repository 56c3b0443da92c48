import EventStore
import FirstResponder

/// A small county for dispatch tests: three advocates in SPA2 (the first attached to station SCV and
/// speaking Spanish), one in neighbouring SPA4, a DCFS worker and a supervisor in SPA2, all on a
/// night shift around ``nightStart``.
enum County {
    static let adv1 = responder("R-ADV001")
    static let adv2 = responder("R-ADV002")
    static let adv3 = responder("R-ADV003")
    static let adv4 = responder("R-ADV004")
    static let dcfs = responder("R-DCFS01")
    static let sup = responder("R-SUP001")

    static let registrations: [ResponderRegistered] = [
        ResponderRegistered(
            responderId: adv1, role: .advocate, organization: "SAVING-INNOCENCE", languages: ["en", "es"],
            areas: [.spa2], stations: ["SCV"], servesAges: .init(min: 11, max: 18)),
        ResponderRegistered(
            responderId: adv2, role: .advocate, organization: "SAVING-INNOCENCE", languages: ["en"], areas: [.spa2]),
        ResponderRegistered(
            responderId: adv3, role: .advocate, organization: "SAVING-INNOCENCE", languages: ["en"], areas: [.spa2]),
        ResponderRegistered(
            responderId: adv4, role: .advocate, organization: "SAVING-INNOCENCE", languages: ["en"], areas: [.spa4]),
        ResponderRegistered(responderId: dcfs, role: .dcfs, organization: "DCFS", languages: ["en"], areas: [.spa2]),
        ResponderRegistered(
            responderId: sup, role: .supervisor, organization: "SAVING-INNOCENCE", languages: ["en"], areas: [.spa2]),
    ]

    /// The night shift of `id`: nightStart − 2 h to nightStart + 10 h.
    static func shift(_ index: Int, _ id: ResponderID) -> ShiftScheduled {
        ShiftScheduled(
            shiftId: ShiftID(rawValue: "SH-N00\(index)")!, responderId: id, startsAt: at(-120),
            endsAt: at(600), onCall: false)
    }

    /// The recovery of case `caseId` (youth `youthRef`) in SPA2, station SCV, ten minutes before nightStart.
    static func recovery(
        _ caseId: CaseID = caseA, youthRef: YouthRef = youthRefA, area: Area = .spa2, awol: Bool? = nil
    ) -> ReportRecovery {
        ReportRecovery(
            caseId: caseId, youthRef: youthRef, agency: .lasd, station: "SCV", area: area, contactAt: at(-10),
            context: .street, ageAtContact: 15, awol: awol, envelope: by(at(-5), "user:deputy-12"))
    }
}

extension CommandHarness {
    /// Registers the county's responders and schedules their night shifts, by command.
    func seedCounty() async throws {
        for registration in County.registrations {
            try await run(RegisterResponder(registration: registration, envelope: by(at(-600), "user:roster-admin")))
        }
        for (index, registration) in County.registrations.enumerated() {
            try await run(
                ScheduleShift(
                    shift: County.shift(index, registration.responderId), envelope: by(at(-500), "user:roster-admin")))
        }
    }

    /// The county seeded, case A reported, and an advocate requested for it (`RQ-2026A00017-1`).
    func seedCaseWithRequest() async throws {
        try await seedCounty()
        try await run(County.recovery())
        try await run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
    }

    /// ``seedCaseWithRequest()``, then the request assigned by the policy (to R-ADV001).
    func seedAssigned() async throws {
        try await seedCaseWithRequest()
        try await run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
    }
}
