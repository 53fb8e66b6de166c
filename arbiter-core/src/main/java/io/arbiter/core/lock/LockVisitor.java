package io.arbiter.core.lock;

/** Sees one locked row: its key, the holding transaction's id and XID. */
@FunctionalInterface
public interface LockVisitor {
    void visit(String rowKey, long transactionId, String xid);
}
