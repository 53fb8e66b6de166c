package io.arbiter.compat.springboot;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/** A TCC participant declared the way Seata's documentation shows. */
@LocalTCC
public interface Payments {
    @TwoPhaseBusinessAction(name = "spring-payment", commitMethod = "confirm", rollbackMethod = "cancel")
    boolean reserve(
            BusinessActionContext context, @BusinessActionContextParameter(paramName = "payment") String payment);

    boolean confirm(BusinessActionContext context);

    boolean cancel(BusinessActionContext context);
}
