import EventStore
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

    @Test("a command's read leaves the cached aggregate for the others; a change takes it out until the append")
    func readsShareChangesTake() throws {
        let scratch = try ScratchStore()
        let cache = AggregateCache()
        let county = Self.stream(1)
        let caseStream = Self.stream(2)
        cache.put([county: Self.file(1), caseStream: Self.file(2)])

        let first = LogState(store: scratch.store, cache: cache)
        let second = LogState(store: scratch.store, cache: cache)
        _ = try first.read(county, as: CaseFile.self)
        _ = try first.read(caseStream, as: CaseFile.self)
        // Both reads left the cache as it was: another command reading them does not fold them again.
        #expect(cache.peek(county) != nil && cache.peek(caseStream) != nil)
        _ = try second.read(county, as: CaseFile.self)
        #expect(cache.peek(county) != nil)

        // The first command changes what it read: the cache's copy goes, the changed one comes back.
        try first.modify(caseStream, as: CaseFile.self) { _ in }
        #expect(cache.peek(caseStream) == nil)
        #expect(cache.peek(county) != nil)
        cache.put(first.drain())
        #expect(cache.peek(caseStream) != nil)

        // A command that fails gives back only what it read; the cache keeps the log's state of the rest.
        let third = LogState(store: scratch.store, cache: cache)
        _ = try third.read(county, as: CaseFile.self)
        try third.modify(county, as: CaseFile.self) { _ in }
        third.discard()
        #expect(cache.peek(county) == nil)
        #expect(cache.peek(caseStream) != nil)
    }
}
