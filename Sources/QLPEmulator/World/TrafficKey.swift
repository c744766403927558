/// A client of the demo's gateway, by its key's name, and the requests it
/// sends to each route.
public struct TrafficKey: Sendable, Equatable {
    public var name: String
    public var demands: [TrafficDemand]

    public init(name: String, demands: [TrafficDemand]) {
        self.name = name
        self.demands = demands
    }

    /// The demo's clients: an application's chat and search, a coding
    /// assistant, and nightly jobs that embed documents and summarise the day.
    /// On a surge day a batch job loops and sends chat requests all day (the
    /// cost world's Azure OpenAI incident). About 2,200 requests and £10 of
    /// Azure OpenAI on a weekday at the example config's prices (what the
    /// synthetic series had), a third of that at weekends, growing as the
    /// platform does.
    public static let demo: [TrafficKey] = [
        TrafficKey(
            name: "web-app",
            demands: [
                TrafficDemand(route: "chat", peakPerHour: 75, rhythm: .officeHours, promptTokens: 250...1400, completionTokens: 60...450),
                TrafficDemand(route: "embeddings", peakPerHour: 25, rhythm: .officeHours, promptTokens: 150...800, completionTokens: 0...0),
            ]),
        TrafficKey(
            name: "code-assistant",
            demands: [
                TrafficDemand(route: "code", peakPerHour: 38, rhythm: .officeHours, promptTokens: 800...3000, completionTokens: 120...700)
            ]),
        TrafficKey(
            name: "batch-jobs",
            demands: [
                TrafficDemand(route: "embeddings", peakPerHour: 90, rhythm: .nightly, promptTokens: 300...1000, completionTokens: 0...0),
                TrafficDemand(route: "chat", peakPerHour: 20, rhythm: .nightly, promptTokens: 1500...3500, completionTokens: 150...400),
                TrafficDemand(route: "chat", peakPerHour: 50, rhythm: .surge, promptTokens: 1500...3500, completionTokens: 150...400),
            ]),
    ]
}

/// What one client sends to one route: how many requests an hour at its
/// busiest, when, and how long prompts and answers are.
public struct TrafficDemand: Sendable, Equatable {
    /// When in the day (UTC) and week the requests come.
    public enum Rhythm: Sendable, Equatable {
        /// People at work: busiest 08:00-18:00 on weekdays, a tail into the
        /// evening, little at night, a fifth of it at weekends.
        case officeHours
        /// A scheduled job: 01:00-05:00 every day.
        case nightly
        /// Only on the world's surge days, all day: a runaway job.
        case surge

        /// Percent of the peak rate in `hour` (0-23) of a day.
        func percent(hour: Int, weekend: Bool, surgeDay: Bool) -> Int {
            switch self {
            case .officeHours:
                let weekday: Int
                switch hour {
                case 8..<18: weekday = 100
                case 7, 18, 19: weekday = 40
                case 20..<23: weekday = 15
                default: weekday = 4
                }
                return weekend ? max(1, weekday / 5) : weekday
            case .nightly: return (1..<5).contains(hour) ? 100 : 0
            case .surge: return surgeDay ? 100 : 0
            }
        }
    }

    /// A route's name in the routing settings; a demand on a route they do not have sends nothing.
    public var route: String
    /// Requests an hour at 100% of the rhythm on the world's first day (before growth and noise).
    public var peakPerHour: Int
    public var rhythm: Rhythm
    /// Tokens per request, spread over the range (most near its middle); 0...0 completion tokens for embeddings.
    public var promptTokens: ClosedRange<Int>
    public var completionTokens: ClosedRange<Int>

    public init(route: String, peakPerHour: Int, rhythm: Rhythm, promptTokens: ClosedRange<Int>, completionTokens: ClosedRange<Int>) {
        self.route = route
        self.peakPerHour = max(0, peakPerHour)
        self.rhythm = rhythm
        self.promptTokens = max(0, promptTokens.lowerBound)...max(0, promptTokens.upperBound)
        self.completionTokens = max(0, completionTokens.lowerBound)...max(0, completionTokens.upperBound)
    }
}
