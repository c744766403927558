/// Something that keeps part of the dashboard's state fresh until cancelled.
/// `wake` lets the r key cut its wait short.
public protocol DashboardPoller: Sendable {
    var wake: WakeSignal { get }
    func run() async
}

extension CostPoller: DashboardPoller {}
