#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of an input file as the importer scans them: a window that
/// holds the record being read and the bytes after it, refilled a chunk at a
/// time. A cost export of any size, or a pipe (`/dev/stdin`), is read in
/// `chunkSize` pieces; only a record longer than a chunk makes the window
/// grow, up to `maxRecordBytes`, past which the file is refused (a quote
/// left open runs a "record" to the end of the file).
///
/// Memory: at most `maxRecordBytes` plus one chunk, whatever the file's size.
final class ByteWindow {
    /// Bytes read at a time.
    static let chunkSize = 1 << 20
    /// The longest record the importer reads. A real cost export's rows are
    /// a few kilobytes, tags and all.
    static let maxRecordBytes = 16 << 20

    let file: String
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private let descriptor: Int32?
    /// Whether the window holds the last byte of the input.
    private(set) var atEnd = false

    /// The bytes in the window; valid until the next `advance`.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    /// A file (or pipe, or device) read a chunk at a time.
    init(path: String) throws(ImportProblem) {
        file = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Self.problem(path, errno) }
        descriptor = fd
        capacity = Self.chunkSize
        storage = .allocate(capacity: capacity)
        try fill()
    }

    /// Bytes already in memory, all of them in the window at once.
    init(bytes: [UInt8], file: String) {
        self.file = file
        descriptor = nil
        capacity = max(1, bytes.count)
        storage = .allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.initialize(from: base, count: source.count) }
        }
        count = bytes.count
        atEnd = true
    }

    deinit {
        storage.deallocate()
        if let descriptor { close(descriptor) }
    }

    /// Drops the bytes before `offset` (records already read) and reads
    /// more after the rest, which move to the start of the window. The
    /// record starting at `offset` (on `line`) has not ended within the
    /// window: if it is already `maxRecordBytes` long, the file is refused.
    func advance(keepingFrom offset: Int, line: Int) throws(ImportProblem) {
        let kept = count - offset
        if kept >= Self.maxRecordBytes {
            throw ImportProblem(
                file: file, line: line,
                message: "a record runs on for more than \(Self.maxRecordBytes >> 20) MiB "
                    + "(is a quote left open on this line?)")
        }
        if offset > 0 { memmove(storage, storage + offset, kept) }
        count = kept
        if capacity - count < Self.chunkSize / 2 {
            // A record longer than the window: grow it, never past the longest record and a chunk.
            let grown = min(max(capacity * 2, count + Self.chunkSize), Self.maxRecordBytes + Self.chunkSize)
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            larger.initialize(from: storage, count: count)
            storage.deallocate()
            storage = larger
            capacity = grown
        }
        try fill()
    }

    /// Reads until the window is full or the input ends.
    private func fill() throws(ImportProblem) {
        guard let descriptor, !atEnd else { return }
        while count < capacity {
            let n = read(descriptor, storage + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.problem(file, errno)
            }
            if n == 0 {
                atEnd = true
                return
            }
            count += n
        }
    }

    private static func problem(_ path: String, _ code: Int32) -> ImportProblem {
        ImportProblem(file: path, message: "cannot read the file: \(String(cString: strerror(code)))")
    }
}
