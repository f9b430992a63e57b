import Foundation
import XCTest

/// An opening handshake as a peer saw it (request_info.py, redirector.py): the first message
/// wsc printed, `{"path": "...", "headers": [["Name", "value"], ...]}`.
struct DescribedRequest {
    var path: String
    var headers: [(name: String, value: String)]

    init(firstMessageOf run: WscRun, file: StaticString = #filePath, line: UInt = #line) throws {
        let json = try XCTUnwrap(run.stdoutText.split(separator: "\n").first, "no message\n\(run.summary)",
                                 file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        path = try XCTUnwrap(object?["path"] as? String, "no path in \(json)", file: file, line: line)
        let pairs = try XCTUnwrap(object?["headers"] as? [[String]], "no headers in \(json)", file: file, line: line)
        headers = pairs.compactMap { pair in pair.count == 2 ? (name: pair[0], value: pair[1]) : nil }
    }

    func values(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }
}
