package io.arbiter.protocol.message;

import io.arbiter.protocol.BranchType;
import java.util.Objects;

/**
 * TC&rarr;RM (type 111, ONEWAY, never answered): {@code u8 branchType ordinal, str16 resourceId, i16 saveDays}.
 *
 * <p>The RM's decoder stops at an empty resourceId (saveDays then silently stays 7), so the encoder rejects a
 * null/empty resourceId with a {@code ProtocolException}.
 */
public record UndoLogDeleteRequest(BranchType branchType, String resourceId, short saveDays)
        implements TransactionRequest {

    /** Seata's default number of days of undo log to keep. */
    public static final short DEFAULT_SAVE_DAYS = 7;

    public UndoLogDeleteRequest {
        Objects.requireNonNull(branchType, "branchType");
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.RM_DELETE_UNDOLOG;
    }
}
