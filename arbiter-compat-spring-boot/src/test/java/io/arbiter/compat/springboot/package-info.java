/**
 * A Spring Boot application on Seata's starter ({@code seata-spring-boot-starter} 2.5.0; the same sources run on
 * Spring Boot 3 and, with {@code io.seata} imports, on the 2.0 starter) against real Arbiter processes: the application is configured by properties only, as for a Seata server, with Arbiter's address in
 * place of the server's.
 *
 * <p>Threading: JUnit's thread drives the application; Seata's client threads run phase two in the participant.
 */
package io.arbiter.compat.springboot;
