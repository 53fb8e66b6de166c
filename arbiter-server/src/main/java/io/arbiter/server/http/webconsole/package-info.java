/**
 * The web console: static pages served from the jar ({@link io.arbiter.server.http.webconsole.StaticAssets}: the
 * single-page app under {@code /console/}, the chart library from its WebJar under {@code /webjars/}) and the
 * overview figures it polls ({@link io.arbiter.server.http.webconsole.OverviewEndpoint}). Every other piece of data
 * the pages show comes from the existing REST paths (Seata's console API, {@code /api/v1/fragments},
 * {@code /metadata/v1/cluster}), with the same login rules; see {@code docs/CONSOLE.md}.
 *
 * <p>Threading: both endpoints run on the HTTP event loop; assets are read from the class path once and cached;
 * the overview's fan-out to other nodes answers from {@link java.net.http.HttpClient} futures.
 */
package io.arbiter.server.http.webconsole;
