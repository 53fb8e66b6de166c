package io.arbiter.server.sim;

import static org.assertj.core.api.Assertions.fail;

import io.arbiter.core.model.GlobalStatus;
import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.BranchEndRequest;
import io.arbiter.protocol.message.BranchEndResponse;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.BranchReportRequest;
import io.arbiter.protocol.message.BranchRollbackResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalReportRequest;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.rpc.ClientSession;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One run of {@link FragmentSimulationTest}: the cluster ({@link SimCluster}), the RMs that answer phase-two calls,
 * and the workload: clients that begin transactions on any node and then register branches, report, query, commit,
 * roll back or abandon them; {@link SimChecks} after every event.
 *
 * <p>Threading: single-threaded, driven by the {@link SimLoop}.
 */
final class FragmentSimulation extends SimChecks {
    /** How many lock-only fragments (0: the lock slots are spread over every fragment, replicated). */
    private final int lockOnlyFragments;

    FragmentSimulation(long seed) {
        this(seed, 0);
    }

    FragmentSimulation(long seed, int lockOnlyFragments) {
        super(seed);
        this.lockOnlyFragments = lockOnlyFragments;
    }

    void run() {
        for (int i = 1; i <= NODES; i++) {
            nodeIds.add("n" + i);
        }
        map = lockOnlyFragments == 0
                ? ClusterMap.initial(FRAGMENTS, nodeIds, REPLICAS)
                : ClusterMap.initial(FRAGMENTS, nodeIds, REPLICAS, lockOnlyFragments, true);
        for (ClusterMap.FragmentInfo info : map.fragments()) {
            SimLog log = new SimLog(info.id(), loop, settings, this::onCommit, this::onPropose);
            log.canLead = this::up;
            logs.put(info.id(), log);
        }
        PhaseTwoRms rm = new PhaseTwoRms();
        for (String id : nodeIds) {
            nodes.put(id, new SimNode(id, map, this::member, loop, transport(id), rm::call, logs, settings, () -> map));
        }
        for (ClusterMap.FragmentInfo info : map.fragments()) {
            SimLog log = logs.get(info.id());
            log.start(info.replicas().get(loop.random.nextInt(info.replicas().size())));
            if (loop.chance(0.2)) {
                log.commitMax = 60; // a slow replica set
            }
        }
        for (SimNode node : nodes.values()) {
            every(100, 100, node.housekeeping::tick);
            every(loop.between(0, 5_000), 5_000, node.sweeper::run);
            every(100, 100, node.rebuilds::run);
        }
        stopWorkloadAt = start + WORKLOAD_MILLIS;
        scheduleClients();
        scheduleLeaderChanges();
        scheduleMapChanges();
        scheduleCrashes();
        long end = stopWorkloadAt + QUIET_MILLIS;
        while (loop.step(end)) {
            events++;
            if (loop.now() >= stopWorkloadAt) {
                faults = false;
                drop = 0;
                duplicate = 0;
            }
            check();
        }
        checkEnd();
    }

    // ---- the RMs ----

    /** Every RM of every resource: answers phase-two calls after a delay, sometimes fails or is unreachable. */
    final class PhaseTwoRms {
        CompletableFuture<BranchEndResponse> call(
                BranchEndRequest request, String clientId, String appId, boolean anyApp) {
            CompletableFuture<BranchEndResponse> answer = new CompletableFuture<>();
            boolean commit = request instanceof BranchCommitRequest;
            loop.later(loop.between(1, 40), () -> {
                if (loop.chance(0.1)) {
                    answer.completeExceptionally(new ConnectException("RM unreachable"));
                    return;
                }
                if (loop.chance(0.1)) {
                    answer.complete(response(request, commit, false));
                    return;
                }
                Boolean before = request.branchId() == -1
                        ? rmSaga.put(request.xid(), commit)
                        : rmDone.put(request.branchId(), commit);
                if (before != null && before != commit) {
                    fail("branch %d of %s both committed and rolled back", request.branchId(), request.xid());
                }
                decide(request.xid(), commit, "RM call");
                if (loop.chance(0.05)) {
                    // done, but the answer is lost: the call times out (as BranchCaller's do) and is made again
                    loop.later(3_000, () -> answer.completeExceptionally(new TimeoutException("RM silent")));
                    return;
                }
                answer.complete(response(request, commit, true));
            });
            return answer;
        }

        private BranchEndResponse response(BranchEndRequest r, boolean commit, boolean done) {
            if (commit) {
                return new BranchCommitResponse(
                        ResultCode.Success,
                        TransactionExceptionCode.Unknown,
                        null,
                        r.xid(),
                        r.branchId(),
                        done ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_CommitFailed_Retryable);
            }
            return new BranchRollbackResponse(
                    ResultCode.Success,
                    TransactionExceptionCode.Unknown,
                    null,
                    r.xid(),
                    r.branchId(),
                    done ? BranchStatus.PhaseTwo_Rollbacked : BranchStatus.PhaseTwo_RollbackFailed_Retryable);
        }
    }

    // ---- the workload ----

    void scheduleClients() {
        loop.later(loop.between(10, 80), () -> {
            if (loop.now() >= stopWorkloadAt) {
                return;
            }
            new Client(transactions++).begin();
            scheduleClients();
        });
    }

    ClientSession session(ClientSession.Role role, int n) {
        return new ClientSession(
                role, ClientVersion.V2_5_0, "app" + (n % 3), "default_tx_group", "10.0.0." + (n % 200), 20_000 + n);
    }

    /** One global transaction's TM and RMs, each request sent to a node of its choice. */
    final class Client {
        final int n;
        final ClientSession tm;
        final ClientSession rmSession;
        final boolean saga;
        String xid;
        int branchesLeft;
        final List<Long> branchIds = new ArrayList<>();
        final List<String> lockKeys = new ArrayList<>();

        Client(int n) {
            this.n = n;
            this.tm = session(ClientSession.Role.TM, n);
            this.rmSession = session(ClientSession.Role.RM, n);
            this.saga = loop.chance(0.12);
            this.branchesLeft = loop.between(1, 4);
        }

        void send(TransactionRequest request, Consumer<ResultMessage> then) {
            List<String> up =
                    nodeIds.stream().filter(FragmentSimulation.this::up).toList();
            SimNode node = nodes.get(up.get(loop.random.nextInt(up.size())));
            ClientSession session =
                    request instanceof BranchRegisterRequest || request instanceof BranchReportRequest ? rmSession : tm;
            node.router.handle(session, request).whenComplete((answer, error) -> {
                if (error != null) {
                    fail("request %s failed with an exception: %s", request, error);
                }
                loop.later(loop.between(1, 10), () -> then.accept(answer));
            });
        }

        void begin() {
            int timeout = loop.chance(0.1) ? loop.between(500, 3_000) : loop.between(8_000, 20_000);
            send(new GlobalBeginRequest(timeout, saga ? "$Saga_order" : "order"), answer -> {
                GlobalBeginResponse r = (GlobalBeginResponse) answer;
                if (r.resultCode() != ResultCode.Success) {
                    return;
                }
                xid = r.xid();
                next();
            });
        }

        void next() {
            int roll = loop.random.nextInt(100);
            if (roll < 8) {
                send(new GlobalStatusRequest(xid), this::checkStatus);
                return;
            }
            if (roll < 14) {
                send(
                        new GlobalLockQueryRequest(
                                loop.chance(0.5) ? xid : null, BranchType.AT, RESOURCE, lockKey(), null),
                        answer -> next());
                return;
            }
            if (roll < 18 && !branchIds.isEmpty()) {
                long b = branchIds.get(loop.random.nextInt(branchIds.size()));
                send(
                        new BranchReportRequest(
                                xid,
                                b,
                                loop.chance(0.7) ? BranchStatus.PhaseOne_Done : BranchStatus.PhaseOne_Failed,
                                RESOURCE,
                                null,
                                BranchType.AT),
                        answer -> next());
                return;
            }
            if (branchesLeft > 0) {
                branchesLeft--;
                if (!saga && branchesLeft > 0 && loop.chance(0.15)) {
                    branchesLeft--;
                    register(false); // two branches of one transaction at once
                }
                register(true);
                return;
            }
            end();
        }

        private String lockKey() {
            StringBuilder key = new StringBuilder();
            int tables = loop.between(1, 2);
            for (int t = 0; t < tables; t++) {
                if (t > 0) {
                    key.append(';');
                }
                key.append("t").append(loop.random.nextInt(3)).append(':');
                int rows = loop.between(1, 4);
                for (int i = 0; i < rows; i++) {
                    key.append(i > 0 ? "," : "").append(loop.random.nextInt(25));
                }
            }
            return key.toString();
        }

        void register(boolean continueAfter) {
            BranchType type;
            String key = null;
            if (saga) {
                type = BranchType.SAGA;
            } else {
                int roll = loop.random.nextInt(10);
                type = roll < 7 ? BranchType.AT : roll < 9 ? BranchType.TCC : BranchType.XA;
                if (type == BranchType.AT) {
                    key = lockKey();
                }
            }
            String lockKey = key;
            send(new BranchRegisterRequest(xid, type, RESOURCE, lockKey, null), answer -> {
                BranchRegisterResponse r = (BranchRegisterResponse) answer;
                if (r.resultCode() == ResultCode.Success) {
                    branchIds.add(r.branchId());
                    if (lockKey != null) {
                        lockKeys.add(lockKey);
                    }
                } else if (r.exceptionCode() == TransactionExceptionCode.LockKeyConflict) {
                    conflicts++;
                }
                if (continueAfter) {
                    next();
                }
            });
        }

        void end() {
            int roll = loop.random.nextInt(100);
            if (roll < 10) {
                return; // abandoned: it times out
            }
            if (saga && roll < 50) {
                boolean ok = loop.chance(0.6);
                send(
                        new GlobalReportRequest(
                                xid,
                                null,
                                ok
                                        ? io.arbiter.protocol.GlobalStatus.Committed
                                        : io.arbiter.protocol.GlobalStatus.Rollbacked),
                        answer -> after());
            } else if (roll < 70) {
                send(new GlobalCommitRequest(xid), answer -> {
                    GlobalCommitResponse r = (GlobalCommitResponse) answer;
                    if (r.resultCode() == ResultCode.Success
                            && r.globalStatus() == io.arbiter.protocol.GlobalStatus.Committed) {
                        acknowledgedCommit.add(xid);
                        decide(xid, true, "commit acknowledged");
                    }
                    after();
                });
            } else {
                send(new GlobalRollbackRequest(xid), answer -> {
                    GlobalRollbackResponse r = (GlobalRollbackResponse) answer;
                    if (r.resultCode() == ResultCode.Success
                            && r.globalStatus() != null
                            && r.globalStatus().name().contains("Rollback")) {
                        decide(xid, false, "rollback answered " + r.globalStatus());
                    }
                    after();
                });
            }
        }

        void after() {
            if (loop.chance(0.5)) {
                send(new GlobalStatusRequest(xid), this::checkStatus);
            }
        }

        void checkStatus(ResultMessage answer) {
            GlobalStatusResponse r = (GlobalStatusResponse) answer;
            if (r.resultCode() == ResultCode.Success && r.globalStatus() != null) {
                GlobalStatus s = GlobalStatus.fromCode(r.globalStatus().code());
                Boolean d = family(s);
                if (d != null) {
                    decide(xid, d, "status query " + s);
                }
            }
            if (branchesLeft > 0
                    || (r.resultCode() == ResultCode.Success
                            && r.globalStatus() == io.arbiter.protocol.GlobalStatus.Begin
                            && loop.chance(0.3))) {
                next();
            }
        }
    }
}
