#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file read straight into a byte array (no Data, no second copy:
/// cost exports run to a hundred megabytes and more). Pipes and devices
/// (`/dev/stdin`) are read to their end.
enum FileBytes {
    static func read(_ path: String) throws(ImportProblem) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw problem(path, errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw problem(path, errno) }
        let expected = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0

        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
            var done = 0
            while done < expected {
                let n = posixRead(fd, buffer.baseAddress! + done, expected - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }   // the file shrank while we read it
                done += n
            }
            initialized = done
        }
        if failure != 0 { throw problem(path, failure) }
        // Whatever is left: all of a pipe, or what a growing file gained.
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw problem(path, errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    private static func problem(_ path: String, _ code: Int32) -> ImportProblem {
        ImportProblem(file: path, message: "cannot read the file: \(String(cString: strerror(code)))")
    }
}

/// `read(2)`, named apart from `FileBytes.read`.
@inline(__always)
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
