package io.arbiter.protocol.codec;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.message.BatchResultMessage;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.arbiter.protocol.message.MergeResultMessage;
import io.arbiter.protocol.message.MergedWarpMessage;
import io.arbiter.protocol.message.MessageTypeCode;
import io.arbiter.protocol.message.PeerCommandRequest;
import io.arbiter.protocol.message.PeerCommandResponse;
import io.arbiter.protocol.message.PeerOperationRequest;
import io.arbiter.protocol.message.PeerOperationResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SEATA body codec (frame codec byte {@code 0x01}): {@code i16 typeCode} followed by the type's payload, with
 * Seata's exact byte layouts (spec §5). Batch containers nest items as {@code i16 typeCode + payload} without a
 * per-item length.
 *
 * <p>{@code ClientVersion} selects the TransactionExceptionCode ordinal table and the enum values the peer knows.
 * Encoding refuses ({@link ProtocolException}) values the peer cannot decode, strings longer than a {@code str16}
 * can carry (except the response msg, which is truncated to 32767 UTF-8 bytes), BranchCommit/Rollback requests
 * with an empty xid or resourceId, BatchResultMessage for clients &lt; 1.5.0 and heartbeats (which have no body). On
 * failure the output buffer's writer index is restored.
 *
 * <p>Decoding reads one message from the reader index and advances past it; trailing bytes are left unread (Seata
 * ignores them too). After a failure the reader index is unspecified (the stream cannot be resynchronised anyway). Truncation, an unknown type code, an unknown enum code or a negative count raise
 * {@link ProtocolException}; no other exception escapes. Only transaction requests may be nested in a
 * MergedWarpMessage and only responses in MergeResult/BatchResult messages, so nesting depth is at most one.
 * Registration requests are decoded with Seata's tolerance: they stop quietly when bytes run out.
 *
 * <p>Stateless and thread-safe.
 */
public final class SeataCodec {

    /** Largest number of items a batch container can hold (its count is an {@code i16}). */
    public static final int MAX_BATCH_ITEMS = Short.MAX_VALUE;

    private SeataCodec() {}

    /** Encodes for the newest client version. */
    public static void encode(SeataMessage m, ByteBuf out) {
        encode(m, out, ClientVersion.LATEST);
    }

    /** Writes {@code i16 typeCode + payload} of {@code m} for a peer of version {@code v}. */
    public static void encode(SeataMessage m, ByteBuf out, ClientVersion v) {
        Objects.requireNonNull(m, "message");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(v, "version");
        int start = out.writerIndex();
        try {
            out.writeShort(m.typeCode());
            encodePayload(m, out, v);
        } catch (ProtocolException e) {
            out.writerIndex(start);
            throw e;
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw new ProtocolException("cannot encode " + m.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /** Decodes with the newest client version's tables. */
    public static SeataMessage decode(ByteBuf in) {
        return decode(in, ClientVersion.LATEST);
    }

    /** Reads one {@code i16 typeCode + payload} written by a peer of version {@code v}. */
    public static SeataMessage decode(ByteBuf in, ClientVersion v) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(v, "version");
        try {
            int typeCode = new WireReader(in, "message body").i16("typeCode");
            return decodePayload(typeCode, in, v);
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProtocolException("malformed message body: " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ encode

    private static void encodePayload(SeataMessage m, ByteBuf out, ClientVersion v) {
        if (m instanceof ResultMessage r) {
            ResponseCodec.encode(r, out, v);
        } else if (m instanceof MergedWarpMessage merged) {
            int lengthIndex = beginContent(out, merged.msgs().size());
            for (TransactionRequest item : merged.msgs()) {
                out.writeShort(item.typeCode());
                RequestCodec.encode(item, out, v);
            }
            merged.msgIds().forEach(out::writeInt);
            endContent(out, lengthIndex);
        } else if (m instanceof MergeResultMessage result) {
            int lengthIndex = beginContent(out, result.msgs().size());
            writeResults(result.msgs(), out, v);
            endContent(out, lengthIndex);
        } else if (m instanceof BatchResultMessage batch) {
            if (v.isBefore(ClientVersion.V1_5_0)) {
                throw new ProtocolException("BatchResultMessage is not understood by client version " + v
                        + "; answer with MergeResultMessage");
            }
            int lengthIndex = beginContent(out, batch.resultMessages().size());
            writeResults(batch.resultMessages(), out, v);
            batch.msgIds().forEach(out::writeInt);
            endContent(out, lengthIndex);
        } else if (m instanceof PeerCommandRequest c) {
            out.writeInt(c.fragmentId());
            out.writeInt(c.command().length);
            out.writeBytes(c.command());
        } else if (m instanceof PeerCommandResponse c) {
            out.writeByte(c.outcome().ordinal());
            out.writeInt(c.result().length);
            out.writeBytes(c.result());
        } else if (m instanceof PeerOperationRequest o) {
            out.writeByte(o.kind().ordinal());
            out.writeInt(o.fragmentId());
            writeText(out, o.argument());
        } else if (m instanceof PeerOperationResponse o) {
            out.writeByte(o.ok() ? 1 : 0);
            writeText(out, o.text());
        } else if (m instanceof HeartbeatMessage) {
            throw new ProtocolException("heartbeats have no body; send a frame with messageType 3/4 instead");
        } else {
            RequestCodec.encode(m, out, v);
        }
    }

    private static void writeText(ByteBuf out, String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.writeBytes(utf8);
    }

    private static int beginContent(ByteBuf out, int count) {
        if (count > MAX_BATCH_ITEMS) {
            throw new ProtocolException("batch of " + count + " items exceeds the i16 count limit " + MAX_BATCH_ITEMS);
        }
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        out.writeShort(count);
        return lengthIndex;
    }

    private static void endContent(ByteBuf out, int lengthIndex) {
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }

    private static void writeResults(List<ResultMessage> results, ByteBuf out, ClientVersion v) {
        for (ResultMessage item : results) {
            out.writeShort(item.typeCode());
            ResponseCodec.encode(item, out, v);
        }
    }

    // ------------------------------------------------------------------------------------------------ decode

    private static SeataMessage decodePayload(int typeCode, ByteBuf in, ClientVersion v) {
        if (RequestCodec.handles(typeCode)) {
            return RequestCodec.decode(typeCode, in);
        }
        if (ResponseCodec.handles(typeCode)) {
            return ResponseCodec.decode(typeCode, in, v);
        }
        return switch (typeCode) {
            case MessageTypeCode.SEATA_MERGE -> decodeMerged(in);
            case MessageTypeCode.SEATA_MERGE_RESULT -> decodeMergeResult(in, v);
            case MessageTypeCode.BATCH_RESULT_MSG -> decodeBatchResult(in, v);
            case MessageTypeCode.PEER_COMMAND -> decodePeerCommand(in);
            case MessageTypeCode.PEER_COMMAND_RESULT -> decodePeerCommandResult(in);
            case MessageTypeCode.PEER_OPERATION -> decodePeerOperation(in);
            case MessageTypeCode.PEER_OPERATION_RESULT -> decodePeerOperationResult(in);
            default -> throw new ProtocolException("unknown or unsupported message type code " + typeCode);
        };
    }

    private static PeerCommandRequest decodePeerCommand(ByteBuf in) {
        WireReader r = new WireReader(in, "PeerCommandRequest");
        int fragmentId = r.i32("fragmentId");
        return new PeerCommandRequest(fragmentId, bytes(r, r.i32("command length"), "command"));
    }

    private static PeerCommandResponse decodePeerCommandResult(ByteBuf in) {
        WireReader r = new WireReader(in, "PeerCommandResponse");
        int outcome = r.u8("outcome");
        PeerCommandResponse.Outcome[] outcomes = PeerCommandResponse.Outcome.values();
        if (outcome >= outcomes.length) {
            throw new ProtocolException("unknown peer command outcome " + outcome);
        }
        return new PeerCommandResponse(outcomes[outcome], bytes(r, r.i32("result length"), "result"));
    }

    private static PeerOperationRequest decodePeerOperation(ByteBuf in) {
        WireReader r = new WireReader(in, "PeerOperationRequest");
        int kind = r.u8("kind");
        PeerOperationRequest.Kind[] kinds = PeerOperationRequest.Kind.values();
        if (kind >= kinds.length) {
            throw new ProtocolException("unknown peer operation kind " + kind);
        }
        int fragmentId = r.i32("fragmentId");
        return new PeerOperationRequest(kinds[kind], fragmentId, text(r, "argument"));
    }

    private static PeerOperationResponse decodePeerOperationResult(ByteBuf in) {
        WireReader r = new WireReader(in, "PeerOperationResponse");
        int ok = r.u8("ok");
        if (ok > 1) {
            throw new ProtocolException("peer operation flag must be 0 or 1, got " + ok);
        }
        return new PeerOperationResponse(ok == 1, text(r, "text"));
    }

    private static String text(WireReader r, String field) {
        int length = r.i32(field + " length");
        if (length < 0) {
            throw new ProtocolException("negative " + field + " length " + length);
        }
        return new String(bytes(r, length, field), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(WireReader r, int length, String field) {
        ByteBuf slice = r.slice(length, field);
        byte[] bytes = new byte[length];
        slice.readBytes(bytes);
        return bytes;
    }

    private static MergedWarpMessage decodeMerged(ByteBuf in) {
        WireReader r = content(in, "MergedWarpMessage");
        int count = count(r);
        List<TransactionRequest> msgs = new ArrayList<>(Math.min(count, r.remaining() / 2));
        for (int i = 0; i < count; i++) {
            int typeCode = r.i16("typeCode of item " + i);
            if (!RequestCodec.isTransactionRequest(typeCode)) {
                throw new ProtocolException("type " + typeCode + " is not allowed inside a MergedWarpMessage");
            }
            msgs.add(RequestCodec.decodeTransactionRequest(typeCode, r.buffer()));
        }
        List<Integer> ids = r.remaining() > 0 ? readIds(r, count) : List.of();
        return new MergedWarpMessage(msgs, ids);
    }

    private static MergeResultMessage decodeMergeResult(ByteBuf in, ClientVersion v) {
        WireReader r = content(in, "MergeResultMessage");
        return new MergeResultMessage(readResults(r, count(r), v, "MergeResultMessage"));
    }

    private static BatchResultMessage decodeBatchResult(ByteBuf in, ClientVersion v) {
        WireReader r = content(in, "BatchResultMessage");
        int count = count(r);
        List<ResultMessage> results = readResults(r, count, v, "BatchResultMessage");
        return new BatchResultMessage(results, readIds(r, count));
    }

    /** Reads {@code i32 contentLength} and returns a reader confined to that many bytes. */
    private static WireReader content(ByteBuf in, String what) {
        WireReader outer = new WireReader(in, what);
        int length = outer.i32("contentLength");
        return new WireReader(outer.slice(length, "content"), what);
    }

    private static int count(WireReader r) {
        int count = r.i16("count");
        if (count < 0) {
            throw new ProtocolException("negative item count " + count);
        }
        return count;
    }

    private static List<ResultMessage> readResults(WireReader r, int count, ClientVersion v, String container) {
        List<ResultMessage> results = new ArrayList<>(Math.min(count, r.remaining() / 2));
        for (int i = 0; i < count; i++) {
            int typeCode = r.i16("typeCode of item " + i);
            if (!ResponseCodec.handles(typeCode)) {
                throw new ProtocolException("type " + typeCode + " is not allowed inside a " + container);
            }
            results.add(ResponseCodec.decode(typeCode, r.buffer(), v));
        }
        return results;
    }

    private static List<Integer> readIds(WireReader r, int count) {
        List<Integer> ids = new ArrayList<>(Math.min(count, r.remaining() / 4));
        for (int i = 0; i < count; i++) {
            ids.add(r.i32("msgId " + i));
        }
        return ids;
    }
}
