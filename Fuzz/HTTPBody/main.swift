// libFuzzer target `fuzz-http-body` (scripts/fuzz): every input goes through FuzzChecks (Fuzz/Checks), which
// the default test run also replays over the committed corpus and regressions.
import FuzzChecks
import FuzzDriver

// libFuzzer's own main (linked whole) refers to this symbol, even though runFuzzer passes the callback.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    return FuzzChecks.fuzz("http-body", data, size)
}

runFuzzer(fuzzOne)
