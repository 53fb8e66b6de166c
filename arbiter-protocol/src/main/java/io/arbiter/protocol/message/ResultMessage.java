package io.arbiter.protocol.message;

/** A response: a transaction response or a registration response. */
public sealed interface ResultMessage extends SeataMessage
        permits TransactionResponse, RegisterTMResponse, RegisterRMResponse {}
