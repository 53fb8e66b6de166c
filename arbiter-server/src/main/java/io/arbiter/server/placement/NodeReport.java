package io.arbiter.server.placement;

import java.util.List;

/**
 * What a node tells the placement loop about itself (as JSON in a {@code PeerOperationResponse}): its process's
 * share of the machine's CPU, and per replica it holds whether it leads, the commands it applied per second since
 * the previous report and its open transactions, and where it leads, its Raft group's voters.
 */
public record NodeReport(String node, double cpu, List<FragmentLoad> fragments) {
    public NodeReport {
        fragments = List.copyOf(fragments);
    }

    /** One replica's figures. */
    public record FragmentLoad(
            int id, boolean leader, double commandsPerSecond, int activeTransactions, List<String> voters) {
        public FragmentLoad {
            voters = voters == null ? List.of() : List.copyOf(voters);
        }
    }
}
