package io.arbiter.compat.ha;

import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccLedger.Call;
import io.arbiter.compat.client.TccLedger.Phase;
import io.arbiter.compat.client.TccParticipant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks of the TCC ledger against what the application was told: each branch of a transaction acknowledged as
 * committed was committed exactly once (with the branch id its try had) and never rolled back; every branch that
 * ran its try reached exactly one final phase-two call.
 */
public final class Ledgers {
    private Ledgers() {}

    /** The problems found; empty if the ledger agrees with the records. */
    public static List<String> check(List<TxRecord> records, List<Call> calls, Counts counts) {
        Map<String, List<Call>> byTag = new LinkedHashMap<>();
        for (Call c : calls) {
            if (c.tag() != null && c.tag().startsWith("ha-")) {
                byTag.computeIfAbsent(c.tag(), t -> new ArrayList<>()).add(c);
            }
        }
        List<String> problems = new ArrayList<>();
        for (TxRecord r : records) {
            if (r.kind() == TxRecord.Kind.TCC
                    && !r.committed()
                    && byTag.getOrDefault(r.tag(), List.of()).stream().anyMatch(c -> c.phase() == Phase.COMMIT)) {
                counts.failedButCommitted++;
            }
            if (r.kind() != TxRecord.Kind.TCC || !r.committed()) {
                continue;
            }
            List<Call> mine = byTag.getOrDefault(r.tag(), List.of());
            for (String action : List.of(TccParticipant.ACTION_A, TccParticipant.ACTION_B)) {
                List<Call> tries = of(mine, action, Phase.TRY);
                List<Call> commits = firsts(of(mine, action, Phase.COMMIT));
                List<Call> rollbacks = of(mine, action, Phase.ROLLBACK);
                if (commits.size() != 1
                        || !rollbacks.isEmpty()
                        || tries.size() != 1
                        || !Objects.equals(
                                tries.get(0).branchId(), commits.get(0).branchId())
                        || !Objects.equals(r.xid(), commits.get(0).xid())) {
                    problems.add("acknowledged TCC " + r.xid() + " (" + r.tag() + "), " + action + ": tries "
                            + ids(tries) + ", commits " + ids(commits) + ", rollbacks " + ids(rollbacks));
                    counts.lost++;
                }
            }
        }
        for (Map.Entry<String, List<Call>> e : byTag.entrySet()) {
            for (String action : List.of(TccParticipant.ACTION_A, TccParticipant.ACTION_B)) {
                List<Call> tries = of(e.getValue(), action, Phase.TRY);
                List<Call> phaseTwo = e.getValue().stream()
                        .filter(c -> c.action().equals(action) && c.phase() != Phase.TRY)
                        .toList();
                counts.duplicatePhaseTwo +=
                        (int) phaseTwo.stream().filter(Call::duplicate).count();
                int commits = firsts(of(e.getValue(), action, Phase.COMMIT)).size();
                int rollbacks = firsts(of(e.getValue(), action, Phase.ROLLBACK)).size();
                if (tries.isEmpty() && phaseTwo.isEmpty()) {
                    continue;
                }
                if (tries.isEmpty()) {
                    counts.emptyRollbacks += rollbacks; // branch registered, try never ran (register answer lost)
                    if (commits > 0) {
                        problems.add(e.getKey() + " " + action + ": committed without a try: " + phaseTwo);
                    }
                    continue;
                }
                if (commits + rollbacks == 0) {
                    problems.add(e.getKey() + " " + action + ": tried but never committed or rolled back");
                    counts.unfinishedBranches++;
                } else if (commits > 0 && rollbacks > 0) {
                    problems.add(e.getKey() + " " + action + ": both committed and rolled back: " + phaseTwo);
                } else if (commits + rollbacks > 1) {
                    problems.add(e.getKey() + " " + action + ": phase two done " + (commits + rollbacks)
                            + " times without the ledger seeing a duplicate: " + phaseTwo);
                }
            }
        }
        return problems;
    }

    /** Tallies the checks fill in. */
    public static final class Counts {
        public int lost;
        public int emptyRollbacks;
        public int unfinishedBranches;
        /** Phase-two calls repeated for a branch whose phase two had succeeded (answered idempotently). */
        public int duplicatePhaseTwo;
        /** Transactions the application was told had failed, whose branches were committed. */
        public int failedButCommitted;
    }

    private static List<Call> of(List<Call> calls, String action, Phase phase) {
        return calls.stream()
                .filter(c -> c.action().equals(action) && c.phase() == phase)
                .toList();
    }

    /** The calls that were not idempotent repeats. */
    private static List<Call> firsts(List<Call> calls) {
        return calls.stream().filter(c -> !c.duplicate()).toList();
    }

    private static List<Long> ids(List<Call> calls) {
        return calls.stream().map(Call::branchId).toList();
    }

    /** Every call of the ledger (for the report). */
    public static List<Call> all() {
        return TccLedger.get().allCalls();
    }
}
