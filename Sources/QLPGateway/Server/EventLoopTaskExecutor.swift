import NIOCore

/// Runs a task's jobs on one NIO event loop: set as a connection's task
/// executor preference, the request handler runs on the loop that reads and
/// writes its socket, and with the event loop upstream client on that same
/// loop a request never leaves it: no crossing to Swift's cooperative pool
/// and back for each step.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
