import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback port nothing listens on right now: the kernel's pick for port 0,
/// released again, and never one this process handed out before. The kernel
/// picks freely among released ports, so two calls in a row could return the
/// same one (a gateway once got one port for both its listeners); 1,000 calls
/// gave 38 repeats. A program that can bind port 0 itself and say
/// which port it got is better still: another process can take a released
/// port before the program binds it.
public func freeLoopbackPort() throws -> Int {
    for _ in 0..<100 {
        let port = try kernelsPickOfALoopbackPort()
        if portsHandedOut.withLock({ $0.insert(port).inserted }) { return port }
    }
    throw RedisServerFixture.Failure(description: "no loopback port this process had not handed out already, in 100 picks")
}

private let portsHandedOut = Mutex<Set<Int>>([])

private func kernelsPickOfALoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw RedisServerFixture.Failure(description: "socket() failed: errno \(errno)") }
    defer { close(descriptor) }
    guard let port = bindToKernelsPickOfALoopbackPort(descriptor) else {
        throw RedisServerFixture.Failure(description: "bind() to 127.0.0.1:0 failed: errno \(errno)")
    }
    return port
}

/// Binds `descriptor` to 127.0.0.1 and a port the kernel picks; that port, or nil (errno says why).
func bindToKernelsPickOfALoopbackPort(_ descriptor: Int32) -> Int? {
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    let named =
        bound == 0
        ? withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        } : -1
    return named == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
}

/// 127.0.0.1:`port`.
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}
