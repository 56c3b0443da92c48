public import EventStore
public import FirstResponder

/// The 72-hour milestones of the recoveries in a period (by contact time): of the cases whose window
/// has ended, how many reached each milestone inside it — hotline referral, advocate and agency on
/// scene, services offered, health evaluation completed or declined, placement (by kind), MDT
/// meeting — and how many youth went missing inside it. Windows still running are counted apart.
public struct Milestones: Codable, Sendable, Equatable {
    /// The moment windows are judged at.
    public var now: String
    /// The last log position in the views.
    public var position: UInt64
    /// Events the views are behind the log.
    public var lag: UInt64
    /// The period.
    public var period: Period
    /// In-scope recoveries in the period.
    public var cases: Int
    /// Of them, cases whose 72-hour window has ended (the base of every share below).
    public var windowEnded: Int
    /// Cases whose window is still running.
    public var windowRunning: Int
    /// A hotline referral inside the window.
    public var hotlineReferral: Share
    /// An advocate on scene inside the window.
    public var advocateOnScene: Share
    /// An agency responder on scene inside the window, of the cases that requested one.
    public var agencyOnScene: Share
    /// Services offered inside the window.
    public var servicesOffered: Share
    /// Health evaluation completed inside the window.
    public var healthEvaluationCompleted: Share
    /// Health evaluation declined inside the window.
    public var healthEvaluationDeclined: Share
    /// A placement decided inside the window.
    public var placement: Share
    /// Placements inside the window, by kind.
    public var placementByKind: Tally
    /// An MDT meeting inside the window.
    public var mdtMeeting: Share
    /// Youth who went missing inside the window.
    public var wentMissing: Share
    /// Cases whose `ProtocolWindowClosed` was recorded.
    public var windowRecorded: Int

    /// A count of a base.
    public struct Share: Codable, Sendable, Equatable {
        /// How many.
        public var count: Int
        /// Of how many.
        public var of: Int
        /// The percentage, to one decimal (`nil` of none).
        public var percent: Double?

        init(_ count: Int, of base: Int) {
            self.count = count
            of = base
            percent = base == 0 ? nil : Double(count * 1000 / base) / 10
        }
    }
}

/// Builds ``Milestones`` from the `cases` view.
public struct MilestonesQuery: Sendable {
    /// The moment to judge windows at; the views' last recorded time when `nil`.
    public var now: Timestamp?
    /// The period, on the contact time.
    public var period: Period
    /// Only this agency.
    public var agency: String?
    /// Only this station.
    public var station: String?
    /// Only this area.
    public var area: String?

    /// A query.
    public init(
        now: Timestamp? = nil, period: Period = Period(), agency: String? = nil, station: String? = nil,
        area: String? = nil
    ) {
        self.now = now
        self.period = period
        self.agency = agency
        self.station = station
        self.area = area
    }

    /// The figures.
    public func run(_ reader: any ViewReader) throws -> Milestones {
        let now = self.now ?? reader.recordedAt ?? Timestamp(microseconds: 0)
        let cases = try reader.rows(CasesProjection.cases).filter { r in
            r.outOfScope == nil && period.contains(r.contactAt) && agency.map { $0 == r.agency } ?? true
                && station.map { $0 == r.station } ?? true && area.map { $0 == r.area } ?? true
        }
        var ended: [(record: CaseRecord, within: ProtocolWindowClosed.Milestones, windowEnd: Timestamp)] = []
        for record in cases {
            let windowEnd = record.windowEnd
            guard windowEnd <= now else { continue }
            ended.append((record, record.domainMilestones.within(windowEnd), windowEnd))
        }
        let n = ended.count
        func share(_ test: (ProtocolWindowClosed.Milestones) -> Bool) -> Milestones.Share {
            Milestones.Share(ended.filter { test($0.within) }.count, of: n)
        }
        let agencyCases = ended.filter { $0.within.agencyOnScene != nil }
        let placed = ended.filter(\.within.placementDecided)
        return Milestones(
            now: now.rfc3339, position: reader.position, lag: reader.lag, period: period, cases: cases.count,
            windowEnded: n, windowRunning: cases.count - n, hotlineReferral: share(\.hotlineReferralCreated),
            advocateOnScene: share(\.advocateOnScene),
            agencyOnScene: Milestones.Share(
                agencyCases.filter { $0.within.agencyOnScene == true }.count, of: agencyCases.count),
            servicesOffered: share(\.servicesOffered),
            healthEvaluationCompleted: share { $0.healthEvaluation == .completed },
            healthEvaluationDeclined: share { $0.healthEvaluation == .declined }, placement: share(\.placementDecided),
            placementByKind: Tally(placed.compactMap { $0.record.milestones.placementKind }),
            mdtMeeting: share(\.mdtMeetingHeld),
            wentMissing: Milestones.Share(
                ended.filter { e in
                    e.record.milestones.wentMissing.contains {
                        $0 >= e.record.contactAt && $0 <= e.windowEnd.microseconds
                    }
                }.count, of: n),
            windowRecorded: ended.filter { $0.record.milestones.window != nil }.count)
    }
}

extension CaseRecord {
    /// When the case's 72-hour window ends: the contact plus the PROTOCOL-72 threshold in force when
    /// the case was reported. A window is counted once it has ended by the moment figures are judged at.
    public var windowEnd: Timestamp {
        Timestamp(microseconds: contactAt).adding(seconds: Int64(thresholds.protocol72))
    }

    /// The milestones as the domain's rule reads them (``CaseMilestones/within(_:)``, the same rule
    /// `ProtocolWindowClosed` was decided by).
    public var domainMilestones: CaseMilestones {
        var m = CaseMilestones()
        let t = { (micros: Int64?) in micros.map { Timestamp(microseconds: $0) } }
        m.hotlineReferralCreated = t(milestones.hotlineReferralCreated)
        m.advocateOnScene = t(milestones.advocateOnScene)
        m.agencyOnScene = t(milestones.agencyOnScene)
        m.agencyRequested = milestones.agencyRequested
        m.servicesOffered = t(milestones.servicesOffered)
        if let at = milestones.healthEvaluationAt {
            m.healthEvaluation = (
                Timestamp(microseconds: at), milestones.healthEvaluation == "declined" ? .declined : .completed
            )
        }
        m.placementDecided = t(milestones.placementAt)
        m.mdtMeetingHeld = t(milestones.mdtMeetingAt)
        m.wentMissing = milestones.wentMissing.map { Timestamp(microseconds: $0) }
        return m
    }
}
