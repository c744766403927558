// The libFuzzer entry point, compiled by scripts/fuzz with
// -sanitize=fuzzer,address against QLPFuzz built with the same flags.
// libFuzzer supplies main(); QLP_FUZZ_TARGET names the FuzzTarget.
import Foundation
import QLPFuzz

private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["QLP_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("QLP_FUZZ_TARGET='\(name)': expected one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
