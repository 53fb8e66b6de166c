package io.arbiter.bench.load;

import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;
import java.util.concurrent.atomic.LongAdder;

/**
 * In-memory TCC participants: try reserves, commit confirms, rollback cancels, each only counting, so the workload
 * measures the coordinator's branch registration and phase-two calls rather than a resource. Public and non-final:
 * Seata's {@code ProxyUtil} subclasses it and reads the parameter annotations of these methods.
 */
public class BenchTccActionImpl implements BenchTccAction {
    static final LongAdder TRIED = new LongAdder();
    static final LongAdder COMMITTED = new LongAdder();
    static final LongAdder ROLLED_BACK = new LongAdder();

    @Override
    public boolean tryA(
            BusinessActionContext context, @BusinessActionContextParameter(paramName = "amount") int amount) {
        TRIED.increment();
        return true;
    }

    @Override
    public boolean commitA(BusinessActionContext context) {
        COMMITTED.increment();
        return true;
    }

    @Override
    public boolean rollbackA(BusinessActionContext context) {
        ROLLED_BACK.increment();
        return true;
    }

    @Override
    public boolean tryB(
            BusinessActionContext context, @BusinessActionContextParameter(paramName = "amount") int amount) {
        TRIED.increment();
        return true;
    }

    @Override
    public boolean commitB(BusinessActionContext context) {
        COMMITTED.increment();
        return true;
    }

    @Override
    public boolean rollbackB(BusinessActionContext context) {
        ROLLED_BACK.increment();
        return true;
    }
}
