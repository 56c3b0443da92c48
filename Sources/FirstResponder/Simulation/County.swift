public import EventStore

/// The synthetic county the simulator runs: agencies' stations in Los Angeles County's Service
/// Planning Areas, the advocacy agency's and the county departments' responders, and the training
/// catalogue. Plausible, not real: the stations are LA County's (counties/los-angeles.json), the responders and the training catalogue are invented.
public enum County {
    /// A law-enforcement station or area and where it is.
    public struct Station: Sendable, Equatable {
        /// LASD, LAPD or LBPD.
        public var agency: String
        /// The station code.
        public var code: String
        /// Its Service Planning Area.
        public var area: String
        /// How many recoveries it sees relative to the others.
        public var weight: Int
    }

    /// Stations, weighted by how many recoveries they see.
    public static let stations: [Station] = [
        Station(agency: "LASD", code: "SCV", area: "SPA2", weight: 6),
        Station(agency: "LASD", code: "LANCASTER", area: "SPA1", weight: 8),
        Station(agency: "LASD", code: "PALMDALE", area: "SPA1", weight: 6),
        Station(agency: "LASD", code: "COMPTON", area: "SPA6", weight: 9),
        Station(agency: "LASD", code: "CENTURY", area: "SPA6", weight: 10),
        Station(agency: "LASD", code: "INDUSTRY", area: "SPA3", weight: 4),
        Station(agency: "LASD", code: "NORWALK", area: "SPA7", weight: 5),
        Station(agency: "LAPD", code: "77TH", area: "SPA6", weight: 12),
        Station(agency: "LAPD", code: "SOUTHEAST", area: "SPA6", weight: 8),
        Station(agency: "LAPD", code: "HOLLYWOOD", area: "SPA4", weight: 7),
        Station(agency: "LAPD", code: "HOLLENBECK", area: "SPA4", weight: 4),
        Station(agency: "LAPD", code: "VAN-NUYS", area: "SPA2", weight: 6),
        Station(agency: "LAPD", code: "PACIFIC", area: "SPA5", weight: 3),
        Station(agency: "LBPD", code: "LB-NORTH", area: "SPA8", weight: 4),
        Station(agency: "LBPD", code: "LB-SOUTH", area: "SPA8", weight: 5),
    ]

    /// A responder of the synthetic roster.
    public struct Responder: Sendable, Equatable {
        /// `R-…`.
        public var id: String
        /// advocate, dcfs, probation or supervisor.
        public var role: String
        /// `SAVING-INNOCENCE`, `DCFS`, `PROBATION`.
        public var organization: String
        /// Languages spoken.
        public var languages: [String]
        /// Areas covered.
        public var areas: [String]
        /// Which of the three daily shifts they work (0 day, 1 swing, 2 night).
        public var shift: Int
    }

    /// The roster: advocates (the advocacy agency, ages 11–18), DCFS and Probation workers, and
    /// supervisors, spread over the areas and the three shifts of the day.
    public static func roster(rng: inout SplitMix64) -> [Responder] {
        let areaPairs = [
            ["SPA1", "SPA2"], ["SPA2", "SPA4"], ["SPA3", "SPA7"], ["SPA4", "SPA6"], ["SPA5", "SPA8"], ["SPA6", "SPA8"],
            ["SPA6", "SPA7"], ["SPA4", "SPA5"],
        ]
        var out: [Responder] = []
        func languages() -> [String] {
            let roll = rng.next(100)
            if roll < 45 { return ["en", "es"] }
            if roll < 50 { return ["en", "hy"] }
            if roll < 53 { return ["en", "ko"] }
            return ["en"]
        }
        for i in 0..<24 {
            out.append(
                Responder(
                    id: "R-ADV\(pad(i + 1, 3))", role: "advocate", organization: "SAVING-INNOCENCE",
                    languages: languages(),
                    areas: areaPairs[i % areaPairs.count], shift: i % 3))
        }
        // DCFS answers every immediate hotline referral, wherever the youth is: its workers cover the
        // county by region, two to a region on every shift, so one's time off or another scene
        // leaves the other.
        let dcfsRegions = [["SPA1", "SPA2", "SPA5"], ["SPA3", "SPA4", "SPA7"], ["SPA6", "SPA8"]]
        for i in 0..<18 {
            out.append(
                Responder(
                    id: "R-DCFS\(pad(i + 1, 3))", role: "dcfs", organization: "DCFS", languages: languages(),
                    areas: dcfsRegions[i / 3 % 3], shift: i % 3))
        }
        for i in 0..<6 {
            out.append(
                Responder(
                    id: "R-PRB\(pad(i + 1, 3))", role: "probation", organization: "PROBATION", languages: languages(),
                    areas: areaPairs[(i * 5) % areaPairs.count], shift: i % 3))
        }
        for i in 0..<3 {
            out.append(
                Responder(
                    id: "R-SUP\(pad(i + 1, 3))", role: "supervisor", organization: "SAVING-INNOCENCE",
                    languages: ["en"],
                    areas: ["SPA1", "SPA2", "SPA3", "SPA4", "SPA5", "SPA6", "SPA7", "SPA8"], shift: i))
        }
        return out
    }

    /// Training courses (code, title, typical audience).
    public static let courses: [(code: String, title: String, audience: String)] = [
        ("COURSE-01", "CSEC 101: recognising exploitation", "law-enforcement"),
        ("COURSE-02", "First Responder Protocol for deputies and officers", "law-enforcement"),
        ("COURSE-03", "Trauma-informed interviewing", "law-enforcement"),
        ("COURSE-04", "CSEC for child welfare social workers", "child-welfare"),
        ("COURSE-05", "Probation: supervising exploited youth", "probation"),
        ("COURSE-06", "Health providers: screening and SART", "health"),
        ("COURSE-07", "Mental health: engagement and safety planning", "mental-health"),
        ("COURSE-08", "Schools: signs of recruitment online", "education"),
        ("COURSE-09", "Community partners: referral pathways", "community"),
        ("COURSE-10", "Parents: online safety and grooming", "parents"),
    ]
}

/// Left-pads a number with zeros.
func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
