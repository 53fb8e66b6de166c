package io.arbiter.compat.ha;

/** How the Seata client finds the cluster's nodes. */
public enum Discovery {
    /** {@code service.default.grouplist} with every node's Seata address (the client picks one per request). */
    STATIC_GROUPLIST,
    /** {@code registry.type=raft} with every node's HTTP address (Seata 2.x's raft registry, the metadata API). */
    RAFT_REGISTRY
}
