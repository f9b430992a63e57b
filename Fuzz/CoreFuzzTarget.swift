// libFuzzer entry point for the protocol core. Built by Scripts/fuzz together with the
// sources of WebSocketCore as one module, so it can check internal invariants too.
//
// The first input byte picks the target, the rest is the target's input:
//   0: frames     bytes from a server to a client connection (with or without
//                 permessage-deflate), checked against invariants below
//   1: http       a handshake response head, then its validation
//   2: json       the JSON reader, and writing what it read back
//   3: socket.io  Engine.IO and Socket.IO packets, and encoding what was read back
//
// A broken invariant stops with a message (libFuzzer keeps the input as a crash file).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    switch selector % 4 {
    case 0: FrameFuzzing.run(rest)
    case 1: HandshakeFuzzing.run(rest)
    case 2: JSONFuzzing.run(rest)
    default: SocketIOFuzzing.run(rest)
    }
    return 0
}

/// Stops the fuzzer with `message` when `condition` is false, in every build mode.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}
