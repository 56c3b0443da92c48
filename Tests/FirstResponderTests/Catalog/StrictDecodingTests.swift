import EventStore
import FirstResponder
import Testing

@Suite("Catalog: strict decoding")
struct StrictDecodingTests {
    static let recovery = #"""
        {"caseId":"C-2026A00020","youthRef":"Y-5C0VN1J8L2QS","agency":"LBPD","station":"LB-SOUTH","area":"SPA8",
         "contactAt":"2026-03-16T03:50:00Z","context":"street"}
        """#

    func reject(_ json: String, as type: any DomainEvent.Type = RecoveryReported.self) -> DomainValidationError? {
        #expect(throws: DomainValidationError.self) { try type.init(json: try JSONValue(parsing: json)) }
    }

    func recovery(replacing old: String, with new: String) -> String {
        Self.recovery.replacing(old, with: new)
    }

    @Test("the baseline decodes")
    func baseline() throws {
        let event = try RecoveryReported(json: try JSONValue(parsing: Self.recovery))
        #expect(event.agency == .lbpd)
        #expect(event.context == .street)
        #expect(event.contactAt == Timestamp(rfc3339: "2026-03-16T03:50:00Z"))
    }

    @Test("types, required fields and unknown fields name the field")
    func fields() {
        #expect(reject(recovery(replacing: #""context":"street""#, with: #""context":1"#))?.pointer == "/context")
        let missing = reject(recovery(replacing: #","context":"street""#, with: ""))
        #expect(missing?.pointer == "/context")
        #expect(missing?.code == .required)
        let extra = reject(recovery(replacing: #""context":"street""#, with: #""context":"street","dateOfBirth":"x""#))
        #expect(extra?.pointer == "/dateOfBirth")
        #expect(extra?.code == .unknownField)
        #expect(reject("[]")?.code == .type)
    }

    @Test("integers: 17 and 17.0 are integers, 17.5 and \"17\" are not, bounds hold")
    func integers() throws {
        for good in ["17", "17.0", "1.7e1"] {
            let json = recovery(replacing: #""context":"street""#, with: #""context":"street","ageAtContact":\#(good)"#)
            #expect(try RecoveryReported(json: try JSONValue(parsing: json)).ageAtContact == 17)
        }
        for bad in ["17.5", #""17""#, "true", "9", "22"] {
            let json = recovery(replacing: #""context":"street""#, with: #""context":"street","ageAtContact":\#(bad)"#)
            #expect(reject(json)?.pointer == "/ageAtContact")
        }
    }

    @Test("timestamps need the pattern and a real date")
    func timestamps() {
        for bad in ["2026-02-30T00:00:00Z", "2026-03-16 03:50:00Z", "2026-03-16t03:50:00z", "2026-03-16T03:50:00"] {
            let e = reject(recovery(replacing: "2026-03-16T03:50:00Z", with: bad))
            #expect(e?.pointer == "/contactAt", "\(bad)")
        }
    }

    @Test("patterns are ECMA-262 searches: anchored ids reject a trailing newline")
    func patterns() {
        #expect(reject(recovery(replacing: "C-2026A00020", with: #"C-2026A00020\n"#))?.pointer == "/caseId")
        #expect(reject(recovery(replacing: "C-2026A00020", with: "c-2026a00020"))?.code == .pattern)
    }

    @Test("agencyName goes with OTHER only")
    func agencyNameRule() {
        let other = reject(recovery(replacing: #""agency":"LBPD""#, with: #""agency":"OTHER""#))
        #expect(other?.pointer == "/agencyName")
        #expect(other?.code == .required)
        let named = reject(
            recovery(replacing: #""agency":"LBPD""#, with: #""agency":"LBPD","agencyName":"Long Beach""#))
        #expect(named?.pointer == "/agencyName")
        #expect(named?.code == .notAllowed)
    }

    @Test("a manual assignment needs overrideReason; others must not carry one")
    func overrideReason() throws {
        let base = #"{"caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","mode":"manual""#
        let e = reject(base + "}", as: ResponderAssigned.self)
        #expect(e?.pointer == "/overrideReason")
        #expect(e?.message == "overrideReason is required when mode is manual")
        let blank = reject(base + #","overrideReason":"   "}"#, as: ResponderAssigned.self)
        #expect(blank?.pointer == "/overrideReason")
        let ok = try ResponderAssigned(json: try JSONValue(parsing: base + #","overrideReason":"knows the youth"}"#))
        #expect(ok.mode == .manual)
    }

    @Test("uniqueItems and minItems")
    func items() {
        let services = #"{"caseId":"C-2026A00017","services":["advocacy","advocacy"]}"#
        let duplicate = reject(services, as: ServicesOffered.self)
        #expect(duplicate?.pointer == "/services")
        #expect(duplicate?.code == .duplicate)
        #expect(reject(#"{"caseId":"C-2026A00017","services":[]}"#, as: ServicesOffered.self)?.code == .count)
        #expect(
            reject(#"{"caseId":"C-2026A00017","services":["jail"]}"#, as: ServicesOffered.self)?.pointer
                == "/services/0")
    }

    @Test("maps: rankingWeights needs its three terms, camelCase keys and numbers in range")
    func maps() throws {
        let policy = #"""
            {"policyVersion":3,"ackTimeoutSeconds":300,"maxEscalations":3,
             "slaThresholds":{"ADVOCATE-ON-SCENE":5400,"AGENCY-ON-SCENE":5400,"ACKNOWLEDGE":300,"HEALTH-72":259200,
                              "PROTOCOL-72":259200,"HOTLINE-IMMEDIATE":86400},
             "rankingWeights":{"continuity":10,"workload":2.5,"rotation":1}}
            """#
        let ok = try PolicyChanged(json: try JSONValue(parsing: policy))
        #expect(ok.rankingWeights == ["continuity": 10, "workload": 2.5, "rotation": 1])
        #expect(ok.slaThresholds.hotlineImmediate == 86_400)
        #expect(try PolicyChanged(binaryBytes: ok.binaryBytes()) == ok)
        let missing = reject(policy.replacing(#","rotation":1"#, with: ""), as: PolicyChanged.self)
        #expect(missing?.pointer == "/rankingWeights/rotation")
        let badKey = reject(
            policy.replacing(#""rotation":1"#, with: #""rotation":1,"Bad-Key":1"#), as: PolicyChanged.self)
        #expect(badKey?.pointer == "/rankingWeights/Bad-Key")
        let range = reject(policy.replacing(#""rotation":1"#, with: #""rotation":1001"#), as: PolicyChanged.self)
        #expect(range?.pointer == "/rankingWeights/rotation")
    }

    @Test("JSON that is not strictly JSON is rejected")
    func malformedJSON() {
        for bad in [
            #"{"a":1,}"#, #"{"a":01}"#, "{'a':1}", #"{"a":NaN}"#, #"{"a":"\ud800"}"#, #"{"a":1} x"#,
            "{\"a\":\"tab\u{09}\"}",
            "",
        ] {
            #expect(throws: DomainValidationError.self, "\(bad)") { try JSONValue(parsing: bad) }
        }
        let duplicate = #expect(throws: DomainValidationError.self) { try JSONValue(parsing: #"{"a":1,"a":2}"#) }
        #expect(duplicate?.code == .malformedJSON)
        #expect(duplicate?.message.contains("more than once") == true)
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: DomainValidationError.self) { try JSONValue(parsing: deep) }
    }

    @Test("JSON strings and numbers parse exactly")
    func parsing() throws {
        let value = try JSONValue(
            parsing: #" {"s":"a\"\\\/\n\u00e9\ud83d\ude00","i":-12,"d":2.5e-1,"b":[true,false,null]} "#)
        let object = try #require(value.objectValue)
        #expect(object["s"] == .string("a\"\\/\né😀"))
        #expect(object["i"] == .integer(-12))
        #expect(object["d"] == .number(0.25))
        #expect(object["b"] == .array([.bool(true), .bool(false), .null]))
        #expect(try JSONValue(parsing: value.jsonBytes) == value)
    }
}
