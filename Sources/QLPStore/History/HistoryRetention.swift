import Foundation

/// How long each kind of history is kept on disk and how much of it is held
/// in memory. Named here so the file's size and the process's memory have
/// one place that bounds them.
public enum HistoryRetention {
    /// Series points: Azure Monitor metrics (one per metric per five minutes)
    /// and model latency samples (one per target per `latencySampleSpacing`).
    /// One age for both, as they share one table and one pruning pass.
    public static let seriesMaxAge: TimeInterval = 30 * 86_400
    /// Budget figures over time (one row per `costFigureSpacing` at most).
    public static let costFiguresMaxAge: TimeInterval = 400 * 86_400
    /// A stored latency sample per target per minute: 43,200 rows a month,
    /// where one per refresh (1 s) would be 2.6 million.
    public static let latencySampleSpacing: TimeInterval = 60
    /// Cost figures change when Cost Management's data does (hours); a row
    /// every five minutes at most is plenty and keeps 400 days near 115,000 rows.
    public static let costFigureSpacing: TimeInterval = 300
    /// A ceiling under the age limit, should a clock jump or a tiny spacing
    /// ever let a series grow faster than planned.
    public static let maxPointsPerSeries = 50_000
    /// Points of one series held in memory: an hour of 1-second latency
    /// ticks, or twelve days of five-minute metric points.
    public static let memoryPointsPerSeries = 3_600
    /// How far back the Monitor view can reach: 24 hours of five-minute points.
    public static let monitorWindow: TimeInterval = 24 * 3600
    /// Pruning by age runs when the file opens and then at most this often.
    public static let pruneInterval: TimeInterval = 600
}
