package io.arbiter.protocol.message;

/**
 * TM&rarr;TC (type 1): {@code i32 timeout (ms), str16 transactionName}.
 *
 * @param timeout         transaction timeout in milliseconds (clients default to 60000)
 * @param transactionName e.g. the method signature; Saga names start with {@code $Saga_}; may be null
 */
public record GlobalBeginRequest(int timeout, String transactionName) implements TransactionRequest {

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_BEGIN;
    }
}
