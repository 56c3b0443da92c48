import Testing

@testable import DispatchServer

@Suite("The request log line")
struct RequestLogTests {
    @Test("a request's time is written in milliseconds with two decimals, rounded to the nearest hundredth")
    func milliseconds() {
        let cases: [(Duration, String)] = [
            (.zero, "0.00"), (.nanoseconds(4_999), "0.00"), (.nanoseconds(5_000), "0.01"),
            (.microseconds(50), "0.05"), (.microseconds(1_234), "1.23"), (.microseconds(1_236), "1.24"),
            (.milliseconds(12), "12.00"), (.microseconds(99_996), "100.00"), (.seconds(3), "3000.00"),
        ]
        for (elapsed, text) in cases {
            #expect(MetricsMiddleware.milliseconds(elapsed) == text, "\(elapsed)")
        }
    }
}
