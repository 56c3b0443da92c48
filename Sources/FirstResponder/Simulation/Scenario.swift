public import EventStore

/// The simulated county's timeline: every step of a period, in time order, from a seed. The same
/// seed, start and length always give the same steps, so the same log, byte for byte.
///
/// What it models (numbers per year for the default 750 recoveries; they scale with it):
/// - a roster of 24 advocates, 18 DCFS workers (two per region on every shift), 6 Probation workers
///   and 3 supervisors on three 8-hour shifts a day (nights on call), two weeks' time off each;
/// - recoveries weighted by station, more at night; 28% are repeat recoveries of a youth seen
///   before; a quarter of youth are under DCFS supervision and one in ten under Probation, which
///   adds an agency response; some are AWOL;
/// - the hotline's referral is Immediate for 70% of recoveries, and DCFS answers every one
///   (HOTLINE-IMMEDIATE, face to face within 24 hours): on scene with the advocate, or one visit in
///   ten on a later shift;
/// - acknowledgements in minutes, 10% declines and 8% unanswered notifications (both escalate);
///   travel times whose distribution straddles the 90-minute on-scene line;
/// - services, health evaluations (completed or declined), placements, MDT meetings, youth going
///   missing and returning, the 72-hour window, closure months later;
/// - arrests by role (mostly buyers, in stings), a third of them in named operations; ~275
///   training sessions of ~100 people; four 10-week Parent Empowerment cohorts.
public struct Scenario: Sendable {
    /// The steps, in time order.
    public let steps: [SimulatedStep]
    /// When the scenario begins.
    public let start: Timestamp

    /// Generates `years` years from `start` with `casesPerYear` recoveries a year.
    public init(seed: UInt64, start: Timestamp, years: Int, casesPerYear: Int = 750) {
        self.init(seed: seed, start: start, days: max(1, years) * 365, casesPerYear: casesPerYear)
    }

    /// Generates `days` days from `start`, at the yearly rate of `casesPerYear` recoveries.
    public init(seed: UInt64, start: Timestamp, days: Int, casesPerYear: Int = 750) {
        self.start = start
        var g = Generator(seed: seed, start: start, days: max(1, days), casesPerYear: max(1, casesPerYear))
        g.run()
        steps = g.steps.sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
    }
}

private struct Generator {
    var rng: SplitMix64
    let start: Timestamp
    let days: Int
    let casesPerYear: Int
    var steps: [SimulatedStep] = []
    var sequence = 0
    var youth: [String] = []
    var roster: [County.Responder] = []

    init(seed: UInt64, start: Timestamp, days: Int, casesPerYear: Int) {
        self.rng = SplitMix64(seed: seed)
        self.start = start
        self.days = days
        self.casesPerYear = casesPerYear
    }

    var end: Timestamp { start.adding(seconds: Int64(days) * 86_400) }

    mutating func add(_ at: Timestamp, _ action: SimulatedStep.Action) {
        guard at < end else { return }
        sequence += 1
        steps.append(SimulatedStep(at: at, sequence: sequence, action: action))
    }

    mutating func run() {
        rosterAndShifts()
        let operations = self.operations()
        // Contact times first, in order, so case numbers follow the calendar.
        let contacts = (0..<(casesPerYear * days / 365)).map { _ in randomInstant(hours: nil) }.sorted()
        for (n, contact) in contacts.enumerated() { recovery(n, contact: contact, operations: operations) }
        arrests(operations: operations)
        training()
    }

    // MARK: - Roster

    mutating func rosterAndShifts() {
        roster = County.roster(rng: &rng)
        for r in roster { add(start, .registerResponder(r)) }
        for r in roster {
            // Two weeks off a year, at a different time for each responder.
            let offStart = Int(rng.next(UInt64(max(1, days - 14))))
            // (Only in runs long enough that a fortnight away leaves the rest of the roster working.)
            for year in 0..<(days >= 60 ? max(1, days / 365) : 0) {
                let from = start.adding(seconds: Int64(offStart + year * 365) * 86_400)
                add(
                    max(start, from.adding(seconds: -7 * 86_400)),
                    .recordTimeOff(
                        timeOffId: "TO-\(r.id.dropFirst(2))\(year)", responderId: r.id, startsAt: from,
                        endsAt: from.adding(seconds: 14 * 86_400)))
            }
            for day in 0..<days {
                let startsAt = start.adding(seconds: Int64(day) * 86_400 + Int64(r.shift) * 8 * 3600 + 6 * 3600)
                // Shifts are published a week ahead (the first week's at the start).
                let published = max(start, startsAt.adding(seconds: -7 * 86_400))
                add(
                    published,
                    .scheduleShift(
                        shiftId: "SH-\(r.id.dropFirst(2))D\(pad(day, 5))", responderId: r.id, startsAt: startsAt,
                        endsAt: startsAt.adding(seconds: 8 * 3600), onCall: r.shift == 2))
            }
        }
    }

    // MARK: - Operations and arrests

    mutating func operations() -> [(id: String, station: County.Station, from: Timestamp, to: Timestamp)] {
        var out: [(String, County.Station, Timestamp, Timestamp)] = []
        let perYear = 9
        let names = [
            "Safe Harbor", "Lost Angels", "Reclaim", "Guardian", "Northern Lights", "Open Door", "Clean Sweep",
        ]
        for n in 0..<(perYear * days / 365) {
            // A third of operations are in Santa Clarita Valley (the seed report's three).
            let station = n % 3 == 0 ? County.stations[0] : pickStation()
            let from = start.adding(seconds: Int64(rng.next(UInt64(days - 3))) * 86_400 + 18 * 3600)
            let to = from.adding(seconds: Int64(1 + rng.next(3)) * 86_400)
            let id = "OP-\(station.code.filter(\.isLetter).prefix(3))\(pad(n + 1, 3))"
            let focus = ["buyer-sting", "street", "online", "hotel-motel", "mixed"][Int(rng.next(5))]
            add(
                from,
                .startOperation(
                    operationId: id, name: "Operation \(names[n % names.count]) \(n / names.count + 1)",
                    station: station, focus: focus))
            add(to, .endOperation(operationId: id))
            out.append((id, station, from, to))
        }
        return out
    }

    mutating func arrests(operations: [(id: String, station: County.Station, from: Timestamp, to: Timestamp)]) {
        let count = casesPerYear * 88 / 100 * days / 365
        for n in 0..<count {
            let role = pick(["buyer": 58, "exploiter": 24, "trafficker": 12, "other": 6])
            var at = randomInstant()
            var station = pickStation()
            var operationId: String?
            if !operations.isEmpty && rng.next(3) == 0 {
                let op = operations[Int(rng.next(UInt64(operations.count)))]
                station = op.station
                operationId = op.id
                at = op.from.adding(seconds: Int64(rng.next(UInt64(max(1, op.from.seconds(until: op.to))))))
            }
            let charges = role == "buyer" ? ["PC-647(b)"] : role == "other" ? ["PC-653.23"] : ["PC-236.1", "PC-266h"]
            add(
                at,
                .recordArrest(
                    arrestId: "A-\(pad(n + 1, 6))", role: role, station: station, operationId: operationId,
                    charges: charges))
        }
    }

    mutating func training() {
        let sessions = 275 * days / 365
        for n in 0..<sessions {
            let course = Int(rng.next(UInt64(County.courses.count)))
            let attendees = 20 + Int(rng.next(170))
            add(
                randomInstant(hours: 9...16),
                .holdTraining(
                    sessionId: "TS-\(pad(n + 1, 5))", course: course, attendees: attendees,
                    area: "SPA\(1 + rng.next(8))"))
        }
        for n in 0..<(4 * days / 365) {
            let from = start.adding(seconds: Int64(n * 91 + Int(rng.next(20))) * 86_400 + 18 * 3600)
            let participants = 10 + Int(rng.next(16))
            add(from, .startCohort(cohortId: "PC-\(pad(n + 1, 4))", participants: participants))
            add(
                from.adding(seconds: 70 * 86_400),
                .completeCohort(
                    cohortId: "PC-\(pad(n + 1, 4))", participants: participants,
                    completers: participants - Int(rng.next(6))))
        }
    }

    // MARK: - A recovery and its case

    mutating func recovery(
        _ n: Int, contact: Timestamp,
        operations: [(id: String, station: County.Station, from: Timestamp, to: Timestamp)]
    ) {
        var station = pickStation()
        var contact = contact
        var context = rng.next(5) == 0 ? "online" : "street"
        var operationId: String?
        if !operations.isEmpty && rng.next(6) == 0 {
            let op = operations[Int(rng.next(UInt64(operations.count)))]
            (station, operationId, context) = (op.station, op.id, "operation")
            contact = op.from.adding(seconds: Int64(rng.next(UInt64(max(1, op.from.seconds(until: op.to))))))
        }
        let isRepeat = !youth.isEmpty && rng.next(100) < 28
        let youthRef = isRepeat ? youth[Int(rng.next(UInt64(youth.count)))] : newYouthRef()
        if !isRepeat { youth.append(youthRef) }
        let supervision = pick(["none": 65, "dcfs": 25, "probation": 10])
        let c = SimulatedCase(
            caseId: "C-\(pad(n + 1, 8))", youthRef: youthRef, isRepeat: isRepeat, station: station, contactAt: contact,
            context: context, operationId: operationId,
            age: supervision == "probation" ? 14 + Int(rng.next(6)) : 12 + Int(rng.next(6)),
            language: rng.next(100) < 35 ? "es" : "en", onSupervision: supervision, awol: rng.next(100) < 4)
        let id = c.caseId
        var t = contact.adding(seconds: minutes(5...20))
        add(t, .reportRecovery(c))
        let category = pick(["immediate": 70, "five-day": 20, "evaluated-out": 7, "information-only": 3])
        let referredAt = t.adding(seconds: minutes(10...30))
        add(referredAt, .createHotlineReferral(caseId: id, referralNumber: referral(n), category: category))
        t = t.adding(seconds: minutes(2...8))
        var arrived = respond(id, role: "advocate", requestedAt: t)
        if supervision != "none" {
            let agency = respond(id, role: supervision, requestedAt: t.adding(seconds: minutes(5...20)))
            arrived = max(arrived, agency)
        }
        if category == "immediate" && supervision != "dcfs" { dcfsFaceToFace(id, referredAt: referredAt) }
        // The 72 hours.
        let window = contact.adding(seconds: 72 * 3600)
        if rng.next(100) < 95 {
            let offered = arrived.adding(seconds: minutes(30...180))
            add(
                offered,
                .offerServices(caseId: id, services: ["advocacy", "health-evaluation", "placement", "mdt-meeting"]))
            add(offered.adding(seconds: minutes(60...1_440)), .answerServices(caseId: id, accepted: rng.next(100) < 80))
        }
        let health = rng.next(100)
        if health < 80 {
            let kind = pick(["routine-health": 60, "forensic": 15, "sart-acute": 15, "sart-non-acute": 10])
            add(
                arrived.adding(seconds: minutes(120...(health < 65 ? 3_900 : 4_800))),
                .medicalEvaluation(caseId: id, kind: kind, completed: health < 65, age: c.age))
        }
        if rng.next(100) < 75 {
            let kind = pick([
                "home": 30, "relative": 20, "shelter": 20, "ffa-foster-family": 15, "residential-treatment": 10,
                "foster-family": 5,
            ])
            add(arrived.adding(seconds: minutes(180...4_000)), .placement(caseId: id, kind: kind))
        }
        if rng.next(100) < 60 { add(arrived.adding(seconds: minutes(600...4_200)), .mdtMeeting(caseId: id)) }
        var missing = false
        if rng.next(100) < 15 {
            missing = true
            let gone = arrived.adding(seconds: minutes(240...4_200))
            add(gone, .wentMissing(caseId: id))
            if rng.next(100) < 70 {
                missing = false
                add(gone.adding(seconds: Int64(1 + rng.next(30)) * 86_400), .returned(caseId: id))
            }
        }
        add(window, .closeProtocolWindow(caseId: id))
        let outcome =
            missing
            ? "missing"
            : pick([
                "services-engaged": 60, "transferred-to-dcfs": 12, "transferred-to-probation": 6,
                "declined-services": 12, "moved-out-of-county": 5, "aged-out": 5,
            ])
        add(window.adding(seconds: Int64(30 + rng.next(270)) * 86_400), .closeCase(caseId: id, outcome: outcome))
    }

    /// DCFS's response to an immediate hotline referral for a youth it does not supervise already
    /// (HOTLINE-IMMEDIATE: face to face within 24 hours). The hotline hands it to the region's DCFS
    /// worker on shift, who mostly goes out within the hour; one visit in ten waits for a later shift
    /// (a youth placed overnight, a caseload), and the latest of those miss the 24 hours.
    mutating func dcfsFaceToFace(_ id: String, referredAt: Timestamp) {
        let requestedAt =
            rng.next(100) < 90
            ? referredAt.adding(seconds: minutes(5...45))
            : referredAt.adding(seconds: minutes(4 * 60...30 * 60))
        _ = respond(id, role: "dcfs", requestedAt: requestedAt)
    }

    /// A response for `role`: request, assignment, replies (with escalations), travel, arrival,
    /// clearing. Returns the arrival time.
    mutating func respond(_ id: String, role: String, requestedAt: Timestamp) -> Timestamp {
        add(requestedAt, .requestResponse(caseId: id, role: role))
        add(requestedAt, .assignByPolicy(caseId: id, role: role))
        var t = requestedAt
        // Declines and unanswered notifications escalate; the next candidate then answers.
        for _ in 0..<3 {
            let roll = rng.next(100)
            if roll < 82 { break }
            if roll < 92 {
                t = t.adding(seconds: minutes(1...3))
                add(t, .reply(caseId: id, role: role, reply: .decline))
            } else {
                t = t.adding(seconds: 300 + 30)  // the acknowledgement timeout fires in between
            }
        }
        t = t.adding(seconds: minutes(1...4))
        add(t, .reply(caseId: id, role: role, reply: .acknowledge))
        add(t.adding(seconds: minutes(2...10)), .enRoute(caseId: id, role: role))
        // Travel: 15 minutes plus an exponential tail (mean 45), so the 90-minute line is straddled.
        let u = Double(rng.next(1_000_000) + 1) / 1_000_001
        let travel = Int64((15 + -45 * logApprox(u)) * 60)
        let arrived = t.adding(seconds: travel)
        add(arrived, .arrive(caseId: id, role: role))
        add(arrived.adding(seconds: minutes(60...240)), .clear(caseId: id, role: role))
        return arrived
    }

    // MARK: - Randomness, deterministic

    mutating func minutes(_ range: ClosedRange<Int>) -> Int64 {
        Int64(range.lowerBound + Int(rng.next(UInt64(range.count)))) * 60
    }

    /// An instant in the period; more recoveries at night unless `hours` says otherwise.
    mutating func randomInstant(hours: ClosedRange<Int>? = 0...23) -> Timestamp {
        let day = Int64(rng.next(UInt64(days)))
        let hour: Int64
        if let hours {
            hour = Int64(hours.lowerBound) + Int64(rng.next(UInt64(hours.count)))
        } else {
            let nightly = [0, 1, 2, 3, 19, 20, 21, 22, 23]
            hour = rng.next(100) < 60 ? Int64(nightly[Int(rng.next(UInt64(nightly.count)))]) : Int64(rng.next(24))
        }
        return start.adding(seconds: day * 86_400 + hour * 3600 + Int64(rng.next(3600)))
    }

    mutating func pickStation() -> County.Station {
        let total = County.stations.reduce(0) { $0 + $1.weight }
        var roll = Int(rng.next(UInt64(total)))
        for s in County.stations {
            if roll < s.weight { return s }
            roll -= s.weight
        }
        return County.stations[0]
    }

    mutating func pick(_ weights: KeyValuePairs<String, Int>) -> String {
        let total = weights.reduce(0) { $0 + $1.value }
        var roll = Int(rng.next(UInt64(total)))
        for (value, weight) in weights {
            if roll < weight { return value }
            roll -= weight
        }
        return weights[weights.startIndex].key
    }

    mutating func newYouthRef() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return "Y-" + String((0..<12).map { _ in alphabet[Int(rng.next(32))] })
    }

    mutating func referral(_ n: Int) -> String {
        "1" + pad(Int(rng.next(1_000_000_000)), 9) + pad(n + 1, 9)
    }
}

extension SplitMix64 {
    /// A uniform integer in `0..<bound` (`bound` > 0).
    mutating func next(_ bound: UInt64) -> UInt64 { next() % max(1, bound) }
}

/// Natural log without Foundation (for the travel-time tail): enough precision for a simulator.
func logApprox(_ x: Double) -> Double {
    var y = x
    var k = 0.0
    while y < 0.5 {
        y *= 2
        k -= 1
    }
    while y > 1.5 {
        y /= 2
        k += 1
    }
    let z = (y - 1) / (y + 1)
    var sum = 0.0
    var term = z
    var n = 1.0
    for _ in 0..<30 {
        sum += term / n
        term *= z * z
        n += 2
    }
    return 2 * sum + k * 0.6931471805599453
}
