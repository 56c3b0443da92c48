import Testing

@testable import FirstResponder

/// The aggregates the rules read are kept between commands, up to a bound.
@Suite("Rules: the aggregate cache")
struct AggregateCacheTests {
    static func stream(_ n: Int) -> String { "case-C-2026A\(String(repeating: "0", count: 5 - String(n).count))\(n)" }

    static func file(_ n: Int) -> any Aggregate { CaseFile(stream: stream(n))! }

    @Test("past its capacity it drops the least recently used tenth: what was put or given back since stays")
    func dropsTheLeastRecentlyUsed() throws {
        let cache = AggregateCache(capacity: 20)
        for n in 0..<20 { cache.put([Self.stream(n): Self.file(n)]) }
        #expect(cache.count == 20)
        // The first one is used again: taken out by a command and given back.
        let first = try #require(cache.take(Self.stream(0)))
        cache.put([Self.stream(0): first])
        cache.put([Self.stream(20): Self.file(20)])
        // 21 > 20: down to 18, the three least recently used gone.
        #expect(cache.count == 18)
        for n in 1...3 { #expect(cache.peek(Self.stream(n)) == nil, "stream \(n) should have gone") }
        for n in [0, 4, 19, 20] { #expect(cache.peek(Self.stream(n)) != nil, "stream \(n) should have stayed") }
    }
}
