package io.arbiter.server.http.metadata;

import io.arbiter.server.WallClock;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.http.HttpApiServer;
import io.arbiter.server.meta.FragmentOperations;
import io.arbiter.server.placement.PlacementLoop;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Seata raft-registry HTTP API, mounted on {@link HttpApiServer}: {@code GET /metadata/v1/cluster},
 * {@code POST /metadata/v1/watch}, {@code POST /metadata/v1/changeCluster} and {@code POST /api/v1/auth/login}; with
 * fragments also the admin routes of {@link FragmentsHandler} ({@code /api/v1/fragments}, token-protected too).
 * Unknown paths under its prefixes get 404, a wrong method 405, and {@code /metadata/v1/**} without a valid token
 * 401 while authentication is on; every refusal carries Seata's Result JSON with the reason.
 *
 * <p>Threading: requests are served on the event loops and never block; long polls and membership changes answer
 * from callbacks and event-loop timers.
 */
public final class MetadataHttpApi implements HttpApiServer.Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataHttpApi.class);
    private static final String METADATA_PREFIX = "/metadata/";
    private static final String AUTH_PREFIX = "/api/v1/auth/";
    private static final String FRAGMENTS_PATH = "/api/v1/fragments";
    private static final String CLUSTER_PATH = "/api/v1/cluster";
    private static final String NODES_PATH = "/api/v1/nodes";

    private interface Handler {
        void handle(Exchange exchange, FullHttpRequest request);
    }

    /**
     * @param operation an operation on the cluster (fragments, nodes): when no console user is configured (no login
     *     to ask for) it is taken only from this machine
     */
    private record Route(HttpMethod method, boolean protectedPath, boolean operation, Handler handler) {
        Route(HttpMethod method, boolean protectedPath, Handler handler) {
            this(method, protectedPath, false, handler);
        }

        static Route operation(Handler handler) {
            return new Route(HttpMethod.POST, true, true, handler);
        }
    }

    private final Map<String, Route> routes;
    private final Authenticator auth;

    MetadataHttpApi(ClusterView view, MetadataApiConfig config, Clock clock) {
        this(view, config, clock, null, null, () -> false);
    }

    MetadataHttpApi(
            ClusterView view,
            MetadataApiConfig config,
            Clock clock,
            Fragments fragments,
            FragmentOperations operations,
            BooleanSupplier replicatedMap) {
        this(view, config, clock, fragments, operations, replicatedMap, null);
    }

    MetadataHttpApi(
            ClusterView view,
            MetadataApiConfig config,
            Clock clock,
            Fragments fragments,
            FragmentOperations operations,
            BooleanSupplier replicatedMap,
            PlacementHandler placement) {
        this.auth = new Authenticator(config, clock);
        ClusterHandler cluster = new ClusterHandler(new ClusterMetadata(view, config.leaderChoice()));
        WatchHandler watch = new WatchHandler(view, new WatchRegistry(view), config.watchTimeout());
        ChangeClusterHandler change = new ChangeClusterHandler(view);
        LoginHandler login = new LoginHandler(auth);
        Map<String, Route> all = new HashMap<>(Map.of(
                "/metadata/v1/cluster", new Route(HttpMethod.GET, true, cluster::handle),
                "/metadata/v1/watch", new Route(HttpMethod.POST, true, watch::handle),
                "/metadata/v1/changeCluster", new Route(HttpMethod.POST, true, change::handle),
                "/api/v1/auth/login", new Route(HttpMethod.POST, false, login::handle)));
        if (fragments != null) {
            FragmentsHandler handler = new FragmentsHandler(fragments, operations, replicatedMap);
            all.put(FRAGMENTS_PATH, new Route(HttpMethod.GET, true, handler::list));
            all.put(FRAGMENTS_PATH + "/create", Route.operation(handler::create));
            all.put(FRAGMENTS_PATH + "/add-replica", Route.operation(handler::addReplica));
            all.put(FRAGMENTS_PATH + "/remove-replica", Route.operation(handler::removeReplica));
            all.put(FRAGMENTS_PATH + "/transfer-leader", Route.operation(handler::transferLeader));
            all.put(FRAGMENTS_PATH + "/retire", Route.operation(handler::retire));
        }
        if (placement != null) {
            all.put(CLUSTER_PATH, new Route(HttpMethod.GET, true, placement::cluster));
            all.put(NODES_PATH + "/drain", Route.operation(placement::drain));
            all.put(NODES_PATH + "/undrain", Route.operation(placement::undrain));
        }
        this.routes = Map.copyOf(all);
    }

    /** The API for a node; mount it with {@code new HttpApiServer(health, List.of(api))}. */
    public static MetadataHttpApi create(ClusterView view, MetadataApiConfig config) {
        return new MetadataHttpApi(view, config, WallClock.utc());
    }

    /** The API for a node with fragments: also {@code /api/v1/fragments} and its operations. */
    public static MetadataHttpApi create(
            ClusterView view,
            MetadataApiConfig config,
            Fragments fragments,
            FragmentOperations operations,
            BooleanSupplier replicatedMap) {
        return new MetadataHttpApi(view, config, WallClock.utc(), fragments, operations, replicatedMap);
    }

    /**
     * The API for a node with fragments and placement: also {@code /api/v1/cluster} and {@code /api/v1/nodes/...}
     * ({@code loop} is null when placement is disabled: the cluster document then says so).
     */
    public static MetadataHttpApi create(
            ClusterView view,
            MetadataApiConfig config,
            Fragments fragments,
            FragmentOperations operations,
            BooleanSupplier replicatedMap,
            PlacementLoop loop,
            Supplier<Optional<ClusterMember>> metaLeader) {
        return new MetadataHttpApi(
                view,
                config,
                WallClock.utc(),
                fragments,
                operations,
                replicatedMap,
                new PlacementHandler(loop, operations, metaLeader, fragments.selfId(), fragments::lockOnly));
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(METADATA_PREFIX)
                || path.startsWith(AUTH_PREFIX)
                || routes.containsKey(path)
                || path.startsWith(FRAGMENTS_PATH + "/")
                || path.startsWith(NODES_PATH + "/");
    }

    @Override
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        Exchange exchange = new Exchange(ctx, request);
        try {
            String path = Responses.normalizedPath(new QueryStringDecoder(request.uri()).path());
            Route route = routes.get(path);
            if (route == null) {
                throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such path: " + path);
            }
            if (!route.method().equals(request.method())) {
                exchange.respond(Responses.methodNotAllowed(path, route.method(), request.method()));
                return;
            }
            if (route.protectedPath() && !auth.authorized(request)) {
                exchange.respond(Responses.loginRequired());
                return;
            }
            if (route.operation()) {
                OperationGuard.check(auth.enabled(), exchange.client(), path);
            }
            route.handler().handle(exchange, request);
        } catch (ApiException e) {
            exchange.respond(Responses.error(e.status(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} {} failed", request.method(), request.uri(), e);
            exchange.respond(
                    Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage()));
        }
    }
}
