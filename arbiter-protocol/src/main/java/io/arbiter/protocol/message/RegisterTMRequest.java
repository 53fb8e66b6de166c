package io.arbiter.protocol.message;

/**
 * First message on a TM connection (type 101, "REG_CLT"): {@code str16 version, str16 applicationId,
 * str16 transactionServiceGroup, str16 extraData}.
 *
 * <p>{@code extraData} holds {@code key=value\n} entries (ak, digest, timestamp, authVersion, vgroup, ip). Like
 * Seata's decoder, ours stops quietly when bytes run out, leaving the remaining fields null.
 */
public record RegisterTMRequest(String version, String applicationId, String transactionServiceGroup, String extraData)
        implements SeataMessage {

    @Override
    public int typeCode() {
        return MessageTypeCode.REG_CLT;
    }
}
