import Projections
import Testing
import VigilTestSupport

@Suite("Row codec")
struct RowCodecTests {
    struct Inner: Codable, Equatable {
        var label: String
        var values: [Int64]
    }

    struct Row: Codable, Equatable {
        var text: String
        var count: Int
        var big: UInt64
        var negative: Int64
        var flag: Bool
        var ratio: Double
        var optional: String?
        var missing: Int?
        var list: [String]
        var optionals: [Int?]
        var nested: Inner
        var nestedList: [Inner]
        var optionalNested: Inner?
        var empty: [Inner]
    }

    static let sample = Row(
        text: "café ☕︎", count: -42, big: .max, negative: .min, flag: true, ratio: 0.1, optional: "x", missing: nil,
        list: ["a", "", "c"], optionals: [1, nil, 3], nested: Inner(label: "n", values: [1, -1, 1 << 40]),
        nestedList: [Inner(label: "a", values: []), Inner(label: "b", values: [2])], optionalNested: nil, empty: [])

    @Test("a row reads back equal, and encodes to the same bytes every time")
    func roundTrip() throws {
        let bytes = try RowEncoder.encode(Self.sample)
        #expect(try RowDecoder.decode(Row.self, from: bytes) == Self.sample)
        #expect(try RowEncoder.encode(Self.sample) == bytes)
        var other = Self.sample
        other.optionalNested = Inner(label: "z", values: [9])
        other.missing = 0
        #expect(try RowDecoder.decode(Row.self, from: try RowEncoder.encode(other)) == other)
    }

    @Test("truncated or padded bytes are refused")
    func malformed() throws {
        let bytes = try RowEncoder.encode(Self.sample)
        #expect(throws: RowCodingError.self) { try RowDecoder.decode(Row.self, from: Array(bytes.dropLast())) }
        #expect(throws: RowCodingError.self) { try RowDecoder.decode(Row.self, from: bytes + [0]) }
    }
}

@Suite("Roster interval keys")
struct IntervalKeyTests {
    /// The key as first defined: the biased time in hex, zero-padded to 16 digits, `/`, the id.
    static func reference(_ endsAt: Int64, _ id: String) -> String {
        let hex = String(UInt64(bitPattern: endsAt) ^ (1 << 63), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "/" + id
    }

    @Test("an interval key is the biased hex time and the id, and text order is time order")
    func keys() {
        let times: [Int64] = [.min, -1_000_000, -1, 0, 1, 0xF, 0x10, 1_767_225_600_000_000, .max]
        for time in times {
            for id in ["", "S-1", "SHIFT-ÄÖ-2026-000001-LONG-ID"] {
                #expect(RosterProjection.intervalKey(time, id) == Self.reference(time, id))
            }
        }
        let keys = times.map { RosterProjection.intervalKey($0, "x") }
        #expect(keys == keys.sorted())
    }
}
