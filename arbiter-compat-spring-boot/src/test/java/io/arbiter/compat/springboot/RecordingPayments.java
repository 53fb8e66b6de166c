package io.arbiter.compat.springboot;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.springframework.stereotype.Component;

/**
 * The TCC participant's implementation: records every phase it is called for in the {@link PaymentLedger}. The
 * parameter annotation is repeated here: Seata 2.5's interceptor reads it from the bean's own method.
 */
@Component
public class RecordingPayments implements Payments {
    private final PaymentLedger ledger;

    public RecordingPayments(PaymentLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public boolean reserve(
            BusinessActionContext context, @BusinessActionContextParameter(paramName = "payment") String payment) {
        ledger.record("reserve", payment);
        return true;
    }

    @Override
    public boolean confirm(BusinessActionContext context) {
        ledger.record("confirm", context.getActionContext("payment"));
        return true;
    }

    @Override
    public boolean cancel(BusinessActionContext context) {
        ledger.record("cancel", context.getActionContext("payment"));
        return true;
    }
}
