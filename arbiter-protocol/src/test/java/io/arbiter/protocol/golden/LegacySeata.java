package io.arbiter.protocol.golden;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An old io.seata client jar (1.8.0 or 2.0.0) loaded in an isolated class loader (parent: the platform loader, plus
 * the test classpath's netty-buffer, netty-common and slf4j-api), driven by reflection. Used as the oracle for the
 * version-dependent TransactionExceptionCode ordinals.
 */
final class LegacySeata implements AutoCloseable {

    private final URLClassLoader loader;
    private final Object serializer;

    private LegacySeata(URLClassLoader loader) throws ReflectiveOperationException {
        this.loader = loader;
        this.serializer = loader.loadClass("io.seata.serializer.seata.SeataSerializer")
                .getConstructor()
                .newInstance();
    }

    /** Opens the jar named by the system property (set by surefire), falling back to the local Maven repository. */
    static LegacySeata open(String systemProperty, String version) throws Exception {
        String jar = System.getProperty(systemProperty);
        Path path = jar != null
                ? Path.of(jar)
                : Path.of(
                        System.getProperty("user.home"),
                        ".m2",
                        "repository",
                        "io",
                        "seata",
                        "seata-all",
                        version,
                        "seata-all-" + version + ".jar");
        if (!Files.exists(path)) {
            throw new IllegalStateException("oracle jar not found: " + path);
        }
        URL[] urls = {
            path.toUri().toURL(),
            codeSource(io.netty.buffer.ByteBuf.class),
            codeSource(io.netty.util.ReferenceCounted.class),
            codeSource(org.slf4j.Logger.class)
        };
        return new LegacySeata(new URLClassLoader(urls, ClassLoader.getPlatformClassLoader()));
    }

    private static URL codeSource(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    /** The client's TransactionExceptionCode constant names in ordinal order. */
    List<String> exceptionCodeNames() throws ClassNotFoundException {
        List<String> names = new ArrayList<>();
        for (Object o : loader.loadClass("io.seata.core.exception.TransactionExceptionCode")
                .getEnumConstants()) {
            names.add(((Enum<?>) o).name());
        }
        return names;
    }

    /** Serializes a GlobalCommitResponse with the client's own serializer. */
    byte[] globalCommitResponse(String resultCode, String msg, String exceptionCode, String globalStatus)
            throws ReflectiveOperationException {
        Class<?> type = loader.loadClass("io.seata.core.protocol.transaction.GlobalCommitResponse");
        Object r = type.getConstructor().newInstance();
        set(r, "setResultCode", enumValue("io.seata.core.protocol.ResultCode", resultCode));
        type.getMethod("setMsg", String.class).invoke(r, msg);
        set(
                r,
                "setTransactionExceptionCode",
                enumValue("io.seata.core.exception.TransactionExceptionCode", exceptionCode));
        set(r, "setGlobalStatus", enumValue("io.seata.core.model.GlobalStatus", globalStatus));
        return (byte[])
                serializer.getClass().getMethod("serialize", Object.class).invoke(serializer, r);
    }

    /** Deserializes a GlobalCommitResponse; returns {resultCode, msg, exceptionCode, globalStatus} names. */
    String[] decodeGlobalCommitResponse(byte[] body) throws ReflectiveOperationException {
        Object r = serializer.getClass().getMethod("deserialize", byte[].class).invoke(serializer, (Object) body);
        return new String[] {
            String.valueOf(r.getClass().getMethod("getResultCode").invoke(r)),
            (String) r.getClass().getMethod("getMsg").invoke(r),
            String.valueOf(r.getClass().getMethod("getTransactionExceptionCode").invoke(r)),
            String.valueOf(r.getClass().getMethod("getGlobalStatus").invoke(r))
        };
    }

    private static void set(Object target, String setter, Object value) throws ReflectiveOperationException {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(setter) && m.getParameterCount() == 1) {
                m.invoke(target, value);
                return;
            }
        }
        throw new NoSuchMethodException(setter);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object enumValue(String className, String name) throws ClassNotFoundException {
        return Enum.valueOf((Class) loader.loadClass(className), name);
    }

    @Override
    public void close() throws Exception {
        loader.close();
    }
}
