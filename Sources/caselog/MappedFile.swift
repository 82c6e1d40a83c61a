import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's bytes for reading: a regular file mapped into memory (read-only, no copy), anything
/// else (a pipe, say) read whole.
enum MappedFile {
    /// Calls `body` with the bytes of the file at `path`; nil when it cannot be read.
    static func withContents<Result>(
        of path: String,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        let size = Int(status.st_size)
        guard status.st_mode & S_IFMT == S_IFREG, size > 0 else {
            let data: Data
            do {
                data = try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readToEnd() ?? Data()
            } catch {
                return nil
            }
            return try data.withUnsafeBytes(body)
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            return nil
        }
        defer { munmap(base, size) }
        madvise(base, size, MADV_SEQUENTIAL)
        return try body(UnsafeRawBufferPointer(start: base, count: size))
    }
}
