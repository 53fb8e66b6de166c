package io.arbiter.protocol.message;

/**
 * First message on an RM connection (type 103), also sent later as ONEWAY when new resources appear:
 * {@code str16 version, str16 applicationId, str16 transactionServiceGroup, str16 extraData, str32 resourceIds}.
 *
 * <p>Decoder tolerance copied from Seata: it stops quietly when bytes run out, and stops completely when the
 * version is empty (all other fields then stay null).
 *
 * @param resourceIds comma-joined resource ids; may be null or empty
 */
public record RegisterRMRequest(
        String version, String applicationId, String transactionServiceGroup, String extraData, String resourceIds)
        implements SeataMessage {

    @Override
    public int typeCode() {
        return MessageTypeCode.REG_RM;
    }
}
