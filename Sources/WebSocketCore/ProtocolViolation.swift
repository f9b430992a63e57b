/// Something the peer sent that RFC 6455 forbids. Each case knows the close code it causes
/// (`closeCode`) and how to explain itself to the user (`description`).
///
/// When one is detected the connection is *failed* (RFC 6455 7.1.7): a close frame with
/// `closeCode` is queued, the violation is reported, and all further input is ignored.
public enum ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// RSV1, RSV2 or RSV3 set although no negotiated extension gives them a meaning.
    /// Carries the three bits as they appear in the first header byte (`0x70` mask).
    case reservedBitsSet(UInt8)
    /// RSV1 (the permessage-deflate "compressed" bit) on a frame other than the first frame of
    /// a data message; RFC 7692 6 allows it only there.
    case compressedBitOnNonInitialFrame(Opcode)
    /// An opcode RFC 6455 reserves (3–7, 0xB–0xF).
    case unknownOpcode(UInt8)
    /// A control frame with FIN clear; control frames must not be fragmented (5.5).
    case fragmentedControlFrame(Opcode)
    /// A control frame with more than 125 bytes of payload (5.5). Detected from the 7-bit
    /// length field (126 or 127 announce an extended length), before the real length is read.
    case controlFrameTooLong(Opcode)
    /// A 64-bit payload length with its most significant bit set (5.2).
    case lengthMostSignificantBitSet
    /// A payload length in a longer encoding than needed (5.2: "the minimal number of bytes
    /// MUST be used").
    case nonMinimalLength(UInt64)
    /// A client received a masked frame: servers must not mask (5.1).
    case maskedFrameFromServer
    /// A server received an unmasked frame: clients must mask (5.1).
    case unmaskedFrameFromClient
    /// A frame longer than `WebSocketConfiguration.maxFrameSize`, seen in its header.
    case frameTooLarge(length: UInt64, limit: Int)
    /// A message whose frames add up to more than `WebSocketConfiguration.maxMessageSize`.
    case messageTooLarge(limit: Int)
    /// A compressed message (permessage-deflate) that inflates to more than
    /// `WebSocketConfiguration.maxMessageSize`; inflating stopped at the limit.
    case decompressedMessageTooLarge(limit: Int)
    /// A compressed message (permessage-deflate) whose payload is not valid DEFLATE data.
    case invalidCompressedData(String)
    /// A continuation frame although no fragmented message was started.
    case continuationWithoutMessage
    /// A text or binary frame while a fragmented message is still unfinished.
    case newMessageDuringFragmentedMessage(Opcode)
    /// A text message that is not valid UTF-8 (reported at the first invalid byte).
    case invalidUTF8InText
    /// A close frame with a 1-byte payload: too short for a status code.
    case closePayloadTooShort
    /// A close frame whose status code may not be used on the wire.
    case invalidCloseCode(UInt16)
    /// A close frame whose reason is not valid UTF-8.
    case invalidUTF8InCloseReason

    /// The close code the violation causes: 1007 for bad UTF-8 and undecodable compressed data,
    /// 1009 for size limits, 1002 for everything else.
    public var closeCode: UInt16 {
        switch self {
        case .invalidUTF8InText, .invalidUTF8InCloseReason, .invalidCompressedData:
            return CloseCode.invalidPayload
        case .frameTooLarge, .messageTooLarge, .decompressedMessageTooLarge:
            return CloseCode.messageTooBig
        case .reservedBitsSet, .compressedBitOnNonInitialFrame, .unknownOpcode,
             .fragmentedControlFrame, .controlFrameTooLong, .lengthMostSignificantBitSet,
             .nonMinimalLength, .maskedFrameFromServer, .unmaskedFrameFromClient,
             .continuationWithoutMessage, .newMessageDuringFragmentedMessage,
             .closePayloadTooShort, .invalidCloseCode:
            return CloseCode.protocolError
        }
    }

    public var description: String {
        switch self {
        case .reservedBitsSet(let bits):
            let names = [(0x40, "RSV1"), (0x20, "RSV2"), (0x10, "RSV3")]
                .filter { bits & UInt8($0.0) != 0 }
                .map(\.1)
            let list = names.isEmpty ? "reserved bits" : names.joined(separator: ", ")
            return "peer set \(list) without a negotiated extension"
        case .compressedBitOnNonInitialFrame(let opcode):
            return "peer set RSV1 on a \(opcode) frame; it is only allowed on the first frame of a message"
        case .unknownOpcode(let raw):
            return "peer sent a frame with reserved opcode \(raw)"
        case .fragmentedControlFrame(let opcode):
            return "peer sent a fragmented \(opcode) frame; control frames must not be fragmented"
        case .controlFrameTooLong(let opcode):
            return "peer sent a \(opcode) frame longer than 125 bytes, the limit for control frames"
        case .lengthMostSignificantBitSet:
            return "peer sent a frame length with the most significant bit set"
        case .nonMinimalLength(let length):
            return "peer encoded a frame length of \(length) in more bytes than needed"
        case .maskedFrameFromServer:
            return "server sent a masked frame"
        case .unmaskedFrameFromClient:
            return "client sent an unmasked frame"
        case .frameTooLarge(let length, let limit):
            return "frame of \(length) bytes exceeds \(formatSize(limit)) limit"
        case .messageTooLarge(let limit):
            return "message exceeds \(formatSize(limit)) limit"
        case .decompressedMessageTooLarge(let limit):
            return "compressed message inflates past the \(formatSize(limit)) limit"
        case .invalidCompressedData(let reason):
            return "peer sent a compressed message that cannot be inflated: \(reason)"
        case .continuationWithoutMessage:
            return "peer sent a continuation frame without a message to continue"
        case .newMessageDuringFragmentedMessage(let opcode):
            return "peer started a new \(opcode) message before finishing the fragmented one"
        case .invalidUTF8InText:
            return "invalid UTF-8 in text message"
        case .closePayloadTooShort:
            return "peer sent a close frame with a 1-byte payload"
        case .invalidCloseCode(let code):
            return "peer sent close code \(code), which is not allowed on the wire"
        case .invalidUTF8InCloseReason:
            return "invalid UTF-8 in close reason"
        }
    }
}

/// Formats a byte count the way limits are configured: "64 MiB", "16 KiB", "1000 bytes".
private func formatSize(_ bytes: Int) -> String {
    let mebibyte = 1 << 20
    let kibibyte = 1 << 10
    if bytes >= mebibyte && bytes % mebibyte == 0 { return "\(bytes / mebibyte) MiB" }
    if bytes >= kibibyte && bytes % kibibyte == 0 { return "\(bytes / kibibyte) KiB" }
    return bytes == 1 ? "1 byte" : "\(bytes) bytes"
}
