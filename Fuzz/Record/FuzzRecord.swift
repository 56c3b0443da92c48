// libFuzzer target `fuzz-record` (scripts/fuzz): every input goes through FuzzChecks (Fuzz/Checks), which
// the default test run also replays over the committed corpus and regressions.
import FuzzChecks

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzChecks.fuzz("record", data, size)
}
