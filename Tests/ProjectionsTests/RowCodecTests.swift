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
