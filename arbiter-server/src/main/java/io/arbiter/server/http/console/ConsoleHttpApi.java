package io.arbiter.server.http.console;

import io.arbiter.server.WallClock;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.http.HttpApiServer;
import io.arbiter.server.http.metadata.ApiException;
import io.arbiter.server.http.metadata.Authenticator;
import io.arbiter.server.http.metadata.Exchange;
import io.arbiter.server.http.metadata.MetadataApiConfig;
import io.arbiter.server.http.metadata.RequestParams;
import io.arbiter.server.http.metadata.Responses;
import io.arbiter.server.routing.FragmentCommands;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seata's console REST paths under {@code /api/v1/console/}, mounted on {@link HttpApiServer}. Who may do what:
 * with {@code console.user.username/password} configured every path needs the token from
 * {@code POST /api/v1/auth/login} (401 without); without them reads are open to anyone and operations are refused
 * (403), since there is nobody to log in as. Bad parameters get 400 with the reason; a refused operation gets
 * Seata's answer (HTTP 200, {@code code "500"}, {@code success false}, the reason as {@code message}); a fragment that
 * does not answer in time 503.
 *
 * <p>Threading: runs on the event loop; answers are written from futures (see the package documentation).
 */
public final class ConsoleHttpApi implements HttpApiServer.Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHttpApi.class);
    static final String PREFIX = "/api/v1/console/";

    interface Handler {
        void handle(Exchange exchange, ConsoleParams params, String user);
    }

    private record Route(HttpMethod method, boolean operation, Handler handler) {}

    private final Map<String, Route> routes = new HashMap<>();
    private final Authenticator auth;

    ConsoleHttpApi(
            MetadataApiConfig config, Clock clock, Fragments fragments, FragmentCommands commands, LongSupplier now) {
        this.auth = new Authenticator(config, clock);
        ConsoleHandlers h = new ConsoleHandlers(
                new FanOutQueries(fragments, commands), new ConsoleOperations(fragments, commands, now), now);
        read("globalSession/query", h::querySessions);
        operation(HttpMethod.DELETE, "globalSession/deleteGlobalSession", h::deleteGlobal);
        operation(HttpMethod.DELETE, "globalSession/forceDeleteGlobalSession", h::forceDeleteGlobal);
        operation(HttpMethod.PUT, "globalSession/stopGlobalSession", h::stopGlobal);
        operation(HttpMethod.PUT, "globalSession/startGlobalSession", h::startGlobal);
        operation(HttpMethod.PUT, "globalSession/sendCommitOrRollback", h::sendCommitOrRollback);
        operation(HttpMethod.PUT, "globalSession/commitGlobalSession", h::commitGlobal);
        operation(HttpMethod.PUT, "globalSession/rollbackGlobalSession", h::rollbackGlobal);
        operation(HttpMethod.PUT, "globalSession/changeGlobalStatus", h::changeGlobalStatus);
        operation(HttpMethod.DELETE, "branchSession/deleteBranchSession", h::deleteBranch);
        operation(HttpMethod.DELETE, "branchSession/forceDeleteBranchSession", h::forceDeleteBranch);
        operation(HttpMethod.PUT, "branchSession/stopBranchSession", h::stopBranch);
        operation(HttpMethod.PUT, "branchSession/startBranchSession", h::startBranch);
        read("globalLock/query", h::queryLocks);
        operation(HttpMethod.DELETE, "globalLock/delete", h::deleteLock);
        read("globalLock/check", h::checkLock);
        read("locks/contended", h::contended);
    }

    /** The console API of a node; mount it next to the metadata API. */
    public static ConsoleHttpApi create(MetadataApiConfig config, Fragments fragments, FragmentCommands commands) {
        return new ConsoleHttpApi(config, WallClock.utc(), fragments, commands, WallClock::millis);
    }

    private void read(String path, Handler handler) {
        routes.put(PREFIX + path, new Route(HttpMethod.GET, false, handler));
    }

    private void operation(HttpMethod method, String path, Handler handler) {
        routes.put(PREFIX + path, new Route(method, true, handler));
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(PREFIX);
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
            Optional<String> user = auth.user(request);
            if (auth.enabled() && user.isEmpty()) {
                exchange.respond(Responses.loginRequired());
                return;
            }
            if (route.operation() && !auth.enabled()) {
                throw new ApiException(
                        HttpResponseStatus.FORBIDDEN,
                        "operations need a logged-in user: configure "
                                + "console.user.username, console.user.password and seata.security.secretKey");
            }
            route.handler().handle(exchange, new ConsoleParams(RequestParams.of(request)), user.orElse("anonymous"));
        } catch (ApiException e) {
            exchange.respond(Responses.error(e.status(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} {} failed", request.method(), request.uri(), e);
            exchange.respond(
                    Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage()));
        }
    }

    /** Answers {@code exchange} from {@code answer}: its JSON with 200, or 503 when a fragment did not answer. */
    static void answer(Exchange exchange, CompletableFuture<?> answer) {
        exchange.defer(() -> {});
        answer.whenComplete((body, error) -> {
            if (error == null) {
                exchange.respond(Responses.json(HttpResponseStatus.OK, body));
                return;
            }
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            exchange.respond(
                    cause instanceof ApiException refused
                            ? Responses.error(refused.status(), refused.getMessage())
                            : Responses.error(
                                    HttpResponseStatus.SERVICE_UNAVAILABLE, "not answered: " + cause.getMessage()));
        });
    }
}
