package io.arbiter.compat.seata25;

import io.arbiter.compat.client.TccParticipant;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/** Two TCC actions in Seata 2.5's annotation style; {@code tag} travels to phase two in the action context. */
@LocalTCC
public interface CompatTccAction {
    @TwoPhaseBusinessAction(name = TccParticipant.ACTION_A, commitMethod = "commitA", rollbackMethod = "rollbackA")
    boolean tryA(BusinessActionContext context, @BusinessActionContextParameter(paramName = "tag") String tag);

    boolean commitA(BusinessActionContext context);

    boolean rollbackA(BusinessActionContext context);

    @TwoPhaseBusinessAction(name = TccParticipant.ACTION_B, commitMethod = "commitB", rollbackMethod = "rollbackB")
    boolean tryB(BusinessActionContext context, @BusinessActionContextParameter(paramName = "tag") String tag);

    boolean commitB(BusinessActionContext context);

    boolean rollbackB(BusinessActionContext context);
}
