import XCTest
@testable import wsc

/// The order of -x and --file, which swift-argument-parser does not keep across two options.
final class OutgoingSourceTests: XCTestCase {
    func testInterleavedOptionsKeepTheirCommandLineOrder() {
        let order = OutgoingSource.inOrder(
            execute: ["one", "three"], files: ["two.txt", "four.txt"],
            arguments: ["-x", "one", "--file", "two.txt", "--execute=three", "--file=four.txt", "ws://h"])
        XCTAssertEqual(order, [.argument("one"), .file("two.txt"), .argument("three"), .file("four.txt")])
    }

    func testShortFlagGroupsAreScanned() {
        let order = OutgoingSource.inOrder(execute: ["a"], files: ["f"], arguments: ["--file", "f", "-bx", "a"])
        XCTAssertEqual(order, [.file("f"), .argument("a")])
    }

    func testArgumentsAfterTheTerminatorAreNotOptions() {
        let order = OutgoingSource.inOrder(execute: ["a"], files: ["f"], arguments: ["--file", "f", "-x", "a", "--", "-x"])
        XCTAssertEqual(order, [.file("f"), .argument("a")])
    }

    func testOneKindAloneNeedsNoScan() {
        XCTAssertEqual(OutgoingSource.inOrder(execute: ["a", "b"], files: [], arguments: []), [.argument("a"), .argument("b")])
        XCTAssertEqual(OutgoingSource.inOrder(execute: [], files: ["f"], arguments: []), [.file("f")])
    }

    func testCountsThatDisagreeGiveNoOrder() {
        XCTAssertNil(OutgoingSource.inOrder(execute: ["a"], files: ["f"], arguments: ["--file", "f"]))
    }
}
