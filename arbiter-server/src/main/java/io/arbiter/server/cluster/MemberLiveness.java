package io.arbiter.server.cluster;

/**
 * Which members this node can reach right now, as probed over its own connections to them, and a hook that is
 * called whenever that changes.
 *
 * <p>Threading: implementations are thread-safe; the listener runs on the prober's thread and must not block.
 */
public interface MemberLiveness {
    /** Nothing is ever known to be down: for single nodes and tests. */
    MemberLiveness ALWAYS_REACHABLE = new MemberLiveness() {
        @Override
        public boolean reachable(String memberId) {
            return true;
        }

        @Override
        public void onChange(Runnable listener) {
            // never changes
        }
    };

    /** Whether the member answered recently; members never probed count as reachable. */
    boolean reachable(String memberId);

    /** Registers a listener called after every change of {@link #reachable}; one listener is enough here. */
    void onChange(Runnable listener);
}
