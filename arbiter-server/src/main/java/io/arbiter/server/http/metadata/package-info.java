/**
 * Seata's raft-registry HTTP API on the node's HTTP port, so that unmodified Seata clients configured with
 * {@code registry.type=raft} and {@code registry.raft.serverAddr=<node http addresses>} find and use Arbiter:
 * {@code GET /metadata/v1/cluster}, the {@code POST /metadata/v1/watch} long poll,
 * {@code POST /metadata/v1/changeCluster} and {@code POST /api/v1/auth/login} with HS256 tokens
 * ({@link io.arbiter.server.http.metadata.MetadataHttpApi}, configured by
 * {@link io.arbiter.server.http.metadata.MetadataApiConfig}). Cluster state comes from
 * {@link io.arbiter.server.cluster.ClusterView}; the same answers come from every node, leader or follower.
 *
 * <h2>Spreading clients: which node is marked LEADER</h2>
 *
 * What the client does with the metadata (Seata 2.0.0 tag {@code v2.0.0},
 * {@code io.seata.discovery.registry.raft.RaftRegistryServiceImpl}; Seata 2.5.0 sources jar,
 * {@code org.apache.seata.discovery.registry.raft.RaftRegistryServiceImpl}; the two agree on everything below):
 * <ul>
 *   <li><b>Requests go to the cached leader only.</b> {@code aliveLookup} (2.0.0 line 229, 2.5.0 line 402) returns
 *       {@code singletonList(transaction endpoint of METADATA.getLeader(cluster))} whenever storeMode is raft, without
 *       looking at which channels are alive; {@code AbstractNettyRemotingClient.loadBalance} sends every TM/RM
 *       request there. {@code lookup} (2.0.0 l. 314, 2.5.0 l. 573) returns all nodes' transaction endpoints, so the
 *       client registers TM/RM channels with every node.</li>
 *   <li><b>The leader cache.</b> {@code Metadata.refreshMetadata} stores, per cluster name (the vgroupMapping value,
 *       not the node that answered), {@code leaders[cluster][node.group] = node} for each node with role LEADER,
 *       then the node list and term under the first node's group. Two LEADER nodes with the same group: the last
 *       one in the list wins. Nodes with different groups: {@code getLeader} picks a random group's leader on every
 *       call, i.e. per request. The leader entry is never removed, so a response without a LEADER keeps a stale
 *       one, and {@code refreshAliveLookup} dereferences the leader (NPE if there never was one).</li>
 *   <li><b>Which node a client fetches from.</b> {@code queryHttpAddress}: a random configured address before the
 *       first metadata; afterwards a random node of {@code ALIVE_NODES}, which {@code refreshAliveLookup} sets to the
 *       connected transaction addresses <em>minus the cached leader</em> ("only follower will turn into leader"),
 *       mapped to control ports; a random node when that list is empty. Fetches happen on a watch 200 and when the
 *       metadata is older than 30 s (checked after each watch, so every ~56 s with 28 s watches).</li>
 * </ul>
 *
 * Choice ({@link io.arbiter.server.http.metadata.LeaderChoice#CLIENT_ADDRESS}, the default): every node names the
 * same member for a client, a rendezvous hash of the client's IP over the members the answering node reaches, so
 * clients on different hosts spread evenly, a client keeps its node across fetches (no extra hop after each
 * refresh), and its watch is never on the node it sends to (the client watches its alive nodes minus its LEADER).
 * Clients that share an IP share a node. {@link io.arbiter.server.http.metadata.LeaderChoice#SELF} (every node marks
 * itself LEADER) spreads those too, as a random walk over the nodes, but moves each client at every fetch, which
 * often leaves its watch on its own node; measured in the long chaos run, that costs 1-5 s of failed requests after
 * one leader kill in four, against at most ~200 ms with the default.
 *
 * <h2>Leaving a dead node at once: the watch</h2>
 *
 * The client watches a node other than the one it sends to (its alive nodes minus its LEADER). Each node probes
 * the others ({@link io.arbiter.server.rpc.PeerProbe}: a killed process at once, a vanished host after 3 s of
 * silence), and the {@link io.arbiter.server.http.metadata.MetadataTerm} a client holds says which node it sends
 * to, so a watch answers 200 as soon as the watched node cannot reach the client's node; the client then fetches
 * from another live node, which names itself. The term also carries the Raft term and a membership fingerprint, so
 * that any node can tell a client's metadata stale (Seata compares its Raft term alone, which works only because
 * every Seata node names the same leader).
 *
 * <p>Selectable with {@code arbiter.metadata.leader-choice}
 * ({@link io.arbiter.server.http.metadata.MetadataApiConfig#leaderChoice()}): {@code CLIENT_ADDRESS}, {@code SELF},
 * and {@code RAFT_LEADER} (Seata's own behavior, everyone on the Raft leader; for comparison and benchmarks).
 *
 * <h2>Client versions</h2>
 * <ul>
 *   <li><b>2.0.0</b>: no authentication; parses the metadata with a default Jackson ObjectMapper into a Node without
 *       {@code internal}/{@code version}, failing on unknown fields. Its GET carries neither Content-Type nor
 *       Authorization, which is how it gets the 2.0 node shape (ClusterMetadata.Shape). Watch and fetch as
 *       above.</li>
 *   <li><b>2.1 to 2.5</b>: logs in when {@code registry.raft.username/password} are set (JSON body, 1 s timeout),
 *       sends {@code Authorization: Bearer ..} on fetch and watch, gets the full node shape; same behaviour. A 401 on a
 *       fetch re-logs-in (2.3+), a 401 on a watch is retried after 1 s.</li>
 * </ul>
 *
 * <p>Threading: everything runs on the HTTP server's event loops and never blocks; watches park on one shared
 * {@link io.arbiter.server.cluster.ClusterView#changedSince} subscription and answer from its callback or an
 * event-loop timer; membership changes answer from the change future.
 */
package io.arbiter.server.http.metadata;
