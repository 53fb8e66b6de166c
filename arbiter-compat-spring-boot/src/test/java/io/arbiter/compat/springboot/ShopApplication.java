package io.arbiter.compat.springboot;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application under test, as a Seata user writes one: nothing Arbiter-specific, no Seata bean declared by hand —
 * the starter proxies the pooled DataSource for AT and wraps the {@code @GlobalTransactional} and {@code @LocalTCC}
 * beans.
 */
@SpringBootApplication
public class ShopApplication {}
