package dev.conduit.core.policy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.template.TemplateRenderer;
import java.net.URI;
import java.util.Locale;

/**
 * Where a system's token may go: only to URLs under its integration base URL, with the same scheme, host and port and
 * a path at or below the base path (whole segments: {@code /api} covers {@code /api/orders}, not {@code /apiary}).
 * Every path that attaches a token checks it before the request leaves (integration calls, typed Rest Clients), so a
 * token is never handed to a host the administrator did not name for it.
 */
public final class TokenDestination {

    private TokenDestination() {
    }

    /**
     * Refuses {@code target} unless it is under the system's integration base URL.
     *
     * @throws ConduitException {@code ENDPOINT_NOT_ALLOWED} naming {@code integrationBaseUrl}; the message names the
     *                          target's scheme, host, port and path, never its query (which may carry values)
     */
    public static void requireUnderIntegrationBase(ConnectedSystem system, URI target) {
        String template = system.integration().baseUrl().orElseThrow(() -> refused(system, "connected system '"
                + system.name() + "' has no integration base URL, so its token is sent nowhere: set one"));
        URI base = TemplateRenderer.of(system).renderUrl("integrationBaseUrl", template);
        if (target == null || !target.isAbsolute() || target.getRawUserInfo() != null || target.getHost() == null) {
            throw refused(system, "a token of '" + system.name() + "' goes only to absolute URLs under its integration"
                    + " base URL " + describe(base));
        }
        String path = target.normalize().getRawPath() == null ? "" : target.normalize().getRawPath();
        String basePath = base.getRawPath() == null ? "" : stripTrailingSlash(base.getRawPath());
        boolean sameOrigin = scheme(target).equals(scheme(base))
                && target.getHost().toLowerCase(Locale.ROOT).equals(base.getHost().toLowerCase(Locale.ROOT))
                && port(target) == port(base);
        // a ".." left after normalising, or an encoded one, could climb out of the base path at the server
        boolean climbs = path.contains("/../") || path.endsWith("/..") || path.toLowerCase(Locale.ROOT).contains("%2e%2e")
                || path.toLowerCase(Locale.ROOT).contains("%2f");
        boolean underBase = path.equals(basePath) || path.startsWith(basePath + "/") || basePath.isEmpty();
        if (!sameOrigin || climbs || !underBase) {
            throw refused(system, "a token of '" + system.name() + "' goes only to URLs under its integration base URL "
                    + describe(base) + ", not to " + describe(target));
        }
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "http".equals(scheme(uri)) ? 80 : "https".equals(scheme(uri)) ? 443 : -1;
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Scheme, host, port and path only. */
    private static String describe(URI uri) {
        return scheme(uri) + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static ConduitException refused(ConnectedSystem system, String message) {
        return ConduitException.builder(ErrorCode.ENDPOINT_NOT_ALLOWED, "integrationBaseUrl: " + message)
                .field("integrationBaseUrl").system(system.name()).build();
    }
}
