package io.arbiter.compat.seata25;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.saga.rm.api.CompensationBusinessAction;

/**
 * A Saga action in Seata 2.5's annotation mode: the forward step runs at once in phase one and registers a
 * {@code SAGA_ANNOTATION} branch; the coordinator calls the compensation on rollback only.
 */
public interface CompatSagaAction {
    String NAME = "compat-saga-annotation";

    @CompensationBusinessAction(name = NAME, compensationMethod = "compensate")
    boolean act(BusinessActionContext context, @BusinessActionContextParameter(paramName = "tag") String tag);

    boolean compensate(BusinessActionContext context);
}
