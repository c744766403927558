import Foundation

/// Seconds on a clock that never jumps (CLOCK_MONOTONIC), as Doubles: the
/// time breakers, latency and "served recently" run on.
public enum MonotonicClock {
    public static var now: Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
