package io.arbiter.compat.seata18;

import io.seata.core.context.RootContext;
import io.seata.core.model.BranchType;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;
import io.seata.rm.tcc.interceptor.ActionInterceptorHandler;
import io.seata.rm.tcc.remoting.RemotingParser;
import io.seata.rm.tcc.remoting.parser.DefaultRemotingParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Seata 1.8 has no {@code ProxyUtil}: its TCC proxy is Spring's {@code TccActionInterceptor}. This does what that
 * interceptor does, without Spring: register the bean's TCC resources through Seata's own remoting parser, then
 * route each {@code @TwoPhaseBusinessAction} call in a global transaction through Seata's
 * {@link ActionInterceptorHandler} (which registers the branch and runs the try method).
 */
final class TccProxy {
    private TccProxy() {}

    static <T> T create(Class<T> iface, T target) {
        String beanName = target.getClass().getName();
        RemotingParser parser = DefaultRemotingParser.get().isRemoting(target, beanName);
        if (parser == null) {
            throw new IllegalArgumentException(beanName + " is not a @LocalTCC bean");
        }
        DefaultRemotingParser.get().parserRemotingServiceInfo(target, beanName, parser);
        ActionInterceptorHandler handler = new ActionInterceptorHandler();
        Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (p, method, args) -> {
            TwoPhaseBusinessAction action = method.getAnnotation(TwoPhaseBusinessAction.class);
            if (action == null || !RootContext.inGlobalTransaction() || RootContext.inSagaBranch()) {
                return invoke(method, target, args);
            }
            BranchType previous = RootContext.getBranchType();
            if (previous != BranchType.TCC) {
                RootContext.bindBranchType(BranchType.TCC);
            }
            try {
                return handler.proceed(method, args, RootContext.getXID(), action, () -> invoke(method, target, args));
            } finally {
                if (previous != BranchType.TCC) {
                    RootContext.unbindBranchType();
                }
            }
        });
        return iface.cast(proxy);
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
