package io.arbiter.compat.seata25;

import io.arbiter.compat.client.TccLedger;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;

/**
 * Records the forward step as a try and the compensation as a rollback in {@link TccLedger} (compensations fail
 * while the ledger says so). Public and non-final: Seata's {@code ProxyUtil} subclasses it.
 */
public class CompatSagaActionImpl implements CompatSagaAction {
    private final TccLedger ledger = TccLedger.get();

    @Override
    public boolean act(BusinessActionContext context, @BusinessActionContextParameter(paramName = "tag") String tag) {
        ledger.tried(NAME, tag, context.getXid(), context.getBranchId());
        return true;
    }

    @Override
    public boolean compensate(BusinessActionContext context) {
        return ledger.rollback(
                NAME, context.getActionContext("tag", String.class), context.getXid(), context.getBranchId(), null);
    }
}
