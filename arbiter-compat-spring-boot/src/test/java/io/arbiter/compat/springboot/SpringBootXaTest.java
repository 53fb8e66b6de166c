package io.arbiter.compat.springboot;

/**
 * The same application in XA mode ({@code seata.data-source-proxy-mode=XA}), against one node by grouplist: each
 * write is an XA branch that PostgreSQL holds prepared until Arbiter's phase two commits or rolls it back.
 */
class SpringBootXaTest extends SpringBootGrouplistTest {
    @Override
    protected String dataSourceProxyMode() {
        return "XA";
    }
}
