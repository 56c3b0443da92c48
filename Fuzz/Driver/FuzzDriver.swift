// The libFuzzer entry every fuzz target's main.swift calls. SwiftPM gives an executable target its
// own `main` (it links `main` to the module's top-level code), which shadows libFuzzer's: the target
// must start libFuzzer's driver itself (`LLVMFuzzerRunDriver`, libFuzzer's API for that).
import Glibc

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the process's arguments, calling `callback` for every input, and exits with
/// its status.
public func runFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runDriver(&argc, &argv, callback))
}
