/// `withUnsafeBytes` with typed throws.
///
/// The standard library's versions are `rethrows`, which erases a typed error to `any Error`
/// (and Swift 6.3 can crash compiling a typed-throws closure passed to them), so the body
/// runs inside a non-throwing closure and its error travels out in a `Result`.
extension Array where Element == UInt8 {
    func withBytes<T, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T {
        let result: Result<T, E> = withUnsafeBytes { raw in
            do throws(E) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    mutating func withMutableBytes<T, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> T) throws(E) -> T {
        let result: Result<T, E> = withUnsafeMutableBytes { raw in
            do throws(E) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
