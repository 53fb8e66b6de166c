/**
 * Seata's console REST API on the node's HTTP port ({@code /api/v1/console/**}, see {@code docs/CONSOLE-API.md}):
 * the global-session and global-lock queries in Seata's shapes, Seata 2.4's operations on stuck transactions, and
 * Arbiter's contended-locks view. Queries fan out to every fragment's leader (a read command in each, through
 * {@link io.arbiter.server.routing.FragmentCommands}) and are merged here; operations are core commands proposed to
 * the leader of the transaction's fragment (a row lock's also to the fragment owning its slot), so every replica
 * applies them and a failover loses none. Operations need a login and are logged with the user.
 *
 * <p>Threading: handlers run on the HTTP event loops and never block; answers are written from the commands'
 * futures.
 */
package io.arbiter.server.http.console;
