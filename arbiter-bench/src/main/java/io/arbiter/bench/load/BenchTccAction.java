package io.arbiter.bench.load;

import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;
import io.seata.rm.tcc.api.LocalTCC;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;

/** The two TCC participants of the {@code tcc} workload, in Seata 2.0's annotation style. */
@LocalTCC
public interface BenchTccAction {
    String ACTION_A = "bench-tcc-a";
    String ACTION_B = "bench-tcc-b";

    @TwoPhaseBusinessAction(name = ACTION_A, commitMethod = "commitA", rollbackMethod = "rollbackA")
    boolean tryA(BusinessActionContext context, @BusinessActionContextParameter(paramName = "amount") int amount);

    boolean commitA(BusinessActionContext context);

    boolean rollbackA(BusinessActionContext context);

    @TwoPhaseBusinessAction(name = ACTION_B, commitMethod = "commitB", rollbackMethod = "rollbackB")
    boolean tryB(BusinessActionContext context, @BusinessActionContextParameter(paramName = "amount") int amount);

    boolean commitB(BusinessActionContext context);

    boolean rollbackB(BusinessActionContext context);
}
