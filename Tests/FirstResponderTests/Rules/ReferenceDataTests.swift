import EventStore
import FirstResponder
import Foundation
import Testing

@Suite("Rules: the county's reference data")
struct ReferenceDataTests {
    @Test("the shipped Los Angeles County list registers every code once; loading it again plans nothing")
    func shippedList() async throws {
        let h = try await CommandHarness.make()
        let registry = try h.handler.countyRegistry()
        let list = try CountyList.shipped("los-angeles.json")
        #expect(list.areas.count == 8 && registry.areas.count == 8)
        #expect(Set(registry.agencies.keys) == ["LASD", "LAPD", "LBPD"])
        #expect(registry.stations.count == list.stations.count)
        #expect(registry.stations["SCV"]?.agency == .lasd && registry.stations["SCV"]?.area == .spa2)
        #expect(registry.stations["77TH"]?.agency == .lapd && registry.stations["77TH"]?.area == .spa6)
        let envelope = CommandEnvelope(occurredAt: at(0), actor: "user:county-admin")
        #expect(try list.plan(against: registry, envelope: envelope).isEmpty)
        let head = try h.head()
        #expect(try await h.handler.registerCounty(list, envelope: envelope) == 0)
        #expect(try h.head() == head, "loading the same list again writes nothing")
    }

    @Test("a list renames what changed and refuses to move a station to another area")
    func planAgainstTheLog() async throws {
        let h = try await CommandHarness.make()
        let registry = try h.handler.countyRegistry()
        let envelope = CommandEnvelope(occurredAt: at(0), actor: "user:county-admin")
        var renamed = try CountyList.shipped("los-angeles.json")
        let scv = try #require(renamed.stations.firstIndex { $0.station == "SCV" })
        renamed.stations[scv].name = "Santa Clarita Valley Sheriff's Station"
        let plan = try renamed.plan(against: registry, envelope: envelope)
        #expect(plan.map(\.name) == ["rename-station"])
        try await h.run(try #require(plan.first))
        #expect(try h.handler.countyRegistry().stations["SCV"]?.name == "Santa Clarita Valley Sheriff's Station")

        var moved = try CountyList.shipped("los-angeles.json")
        moved.stations[scv].area = .spa4
        let conflict = #expect(throws: CountyList.Conflict.self) {
            try moved.plan(against: registry, envelope: envelope)
        }
        #expect(conflict?.problems.count == 1)
        #expect(
            conflict?.problems.first?.hasPrefix("/stations/\(scv): station SCV is registered under LASD in SPA2")
                == true)
    }

    @Test("a retired station may be named by facts before its retirement, not after; it can be registered again")
    func retirement() async throws {
        let h = try await CommandHarness.make()
        try await h.run(RetireStation(station: "LB-EAST", reason: "Division merged.", envelope: by(at(10))))
        func recovery(_ caseId: CaseID, contact: Int64) -> ReportRecovery {
            ReportRecovery(
                caseId: caseId, youthRef: youthRefB, agency: .lbpd, station: "LB-EAST", area: .spa8,
                contactAt: at(contact), context: .street, envelope: by(at(max(20, contact + 1))))
        }
        try await h.run(recovery(caseA, contact: 5))
        let late = try await h.expectRejection(.rule(.retiredCode), recovery(caseB, contact: 15))
        #expect(
            late?.field == "/station" && late?.message.contains("retired at") == true, "\(String(describing: late))")
        try await h.expectRejection(
            .rule(.retiredCode), RetireStation(station: "LB-EAST", envelope: by(at(21))))
        try await h.expectRejection(
            .alreadyExists,
            RegisterStation(station: "SCV", stationName: "SCV", agency: .lasd, area: .spa2, envelope: by(at(21))))
        try await h.run(
            RegisterStation(
                station: "LB-EAST", stationName: "East Division", agency: .lbpd, area: .spa8, envelope: by(at(22))))
        try await h.run(recovery(caseB, contact: 23))
    }

    @Test("an agency or area is retired only after its stations; an unknown agency registers no station")
    func retireInOrder() async throws {
        let h = try await CommandHarness.make()
        let inUse = try await h.expectRejection(.rule(.codeInUse), RetireAgency(agency: .lbpd, envelope: by(at(1))))
        #expect(inUse?.message.contains("LB-EAST, LB-NORTH, LB-SOUTH, LB-WEST") == true, "\(String(describing: inUse))")
        try await h.expectRejection(
            .rule(.unknownCode),
            RegisterStation(
                station: "PASADENA", stationName: "Pasadena PD", agency: .other,
                agencyName: "Pasadena Police Department",
                area: .spa3, envelope: by(at(1))))
        try await h.run(
            RegisterAgency(
                agency: .other, agencyName: "Pasadena Police Department", agencyFullName: "Pasadena Police Department",
                envelope: by(at(2))))
        try await h.run(
            RegisterStation(
                station: "PASADENA", stationName: "Pasadena PD", agency: .other,
                agencyName: "Pasadena Police Department",
                area: .spa3, envelope: by(at(3))))
        for station in ["LB-EAST", "LB-NORTH", "LB-SOUTH", "LB-WEST"] {
            try await h.run(RetireStation(station: station, envelope: by(at(4))))
        }
        try await h.run(RetireAgency(agency: .lbpd, reason: "Left the protocol.", envelope: by(at(5))))
        try await h.expectRejection(
            .rule(.retiredCode),
            ReportRecovery(
                caseId: caseA, youthRef: youthRefA, agency: .lbpd, station: "LB-EAST", area: .spa8, contactAt: at(6),
                context: .street, envelope: by(at(7))))
    }
}
