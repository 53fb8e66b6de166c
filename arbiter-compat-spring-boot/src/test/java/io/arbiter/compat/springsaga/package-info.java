/**
 * A Saga state-machine application on Seata's starter (Seata's saga engine, its state log in PostgreSQL) and its
 * scenarios against Arbiter: commit, compensation by the engine, and the coordinator's forward through the saga RM
 * after an unknown outcome. In its own package so that the shop application's component scan does not start an
 * engine. Threading: JUnit's thread drives the engine synchronously ({@code enableAsync=false}); the coordinator's
 * phase-two calls run on the Seata client's RM threads.
 */
package io.arbiter.compat.springsaga;
