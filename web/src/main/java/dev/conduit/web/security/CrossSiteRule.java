package dev.conduit.web.security;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one rule that keeps other sites' pages from changing anything in Conduit with a signed-in browser's cookie.
 *
 * <p>A state-changing request ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) is refused when
 * <ol>
 *   <li>the browser says it comes from elsewhere: {@code Sec-Fetch-Site} other than {@code same-origin}, or an
 *       {@code Origin} other than Conduit's own; or</li>
 *   <li>its body is one a plain HTML form or a "simple" cross-origin {@code fetch} can send without asking the server
 *       first ({@code application/x-www-form-urlencoded}, {@code multipart/form-data}, {@code text/plain}): Conduit
 *       reads JSON only, and a JSON body cannot be sent cross-site without a CORS preflight that Conduit never
 *       grants.</li>
 * </ol>
 * The one exception to 2 is {@code ?redirect=true} on an authorization link, meant for a button on a page: it starts
 * an authorization only from a same-origin navigation that a person made ({@code Sec-Fetch-Site: same-origin},
 * {@code Sec-Fetch-Mode: navigate}, {@code Sec-Fetch-User: ?1}; a browser without Fetch Metadata must send Conduit's
 * own {@code Origin}). Clients that are not browsers (curl, integrations) send neither header and a JSON or empty
 * body, so they pass.
 *
 * @see <a href="https://fetch.spec.whatwg.org/#simple-header">Fetch: CORS-safelisted request headers</a>
 * @see <a href="https://www.w3.org/TR/fetch-metadata/">Fetch Metadata Request Headers</a>
 */
public final class CrossSiteRule {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> SIMPLE_BODIES =
            Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

    private CrossSiteRule() {
    }

    /**
     * Why the request is refused, or empty when it may proceed.
     *
     * @param method         the HTTP method
     * @param redirectLink   whether it asks for an authorization link with {@code ?redirect=true}
     * @param header         the request's headers by name
     * @param ownOrigins     Conduit's own origins ({@code scheme://host:port}): the request's and the public URL's
     */
    public static Optional<String> refusal(String method, boolean redirectLink, Function<String, String> header,
            Set<String> ownOrigins) {
        if (!STATE_CHANGING.contains(method.toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String site = header.apply("Sec-Fetch-Site");
        if (site != null && !"same-origin".equalsIgnoreCase(site.strip())) {
            return Optional.of("the browser reports a request from another site (Sec-Fetch-Site: " + site.strip() + ")");
        }
        String origin = header.apply("Origin");
        if (origin != null && !ownOrigins.contains(normalize(origin))) {
            return Optional.of("the request comes from another origin (" + origin.strip() + ")");
        }
        if (redirectLink) {
            return personsNavigation(header, site, origin);
        }
        String mediaType = mediaType(header.apply("Content-Type"));
        if (SIMPLE_BODIES.contains(mediaType)) {
            return Optional.of("a " + mediaType + " body, which any site's form can send (send JSON)");
        }
        return Optional.empty();
    }

    private static Optional<String> personsNavigation(Function<String, String> header, String site, String origin) {
        if (site != null) {
            boolean navigation = "navigate".equalsIgnoreCase(trim(header.apply("Sec-Fetch-Mode")));
            boolean person = "?1".equals(trim(header.apply("Sec-Fetch-User")));
            return navigation && person ? Optional.empty()
                    : Optional.of("?redirect=true starts an authorization only from a page navigation a person made");
        }
        return origin != null ? Optional.empty()
                : Optional.of("?redirect=true needs a browser that sends Origin or Sec-Fetch-Site; "
                        + "other clients ask for the link as JSON");
    }

    /** {@code scheme://host[:port]} in lower case, without a default port. */
    public static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        if (o.startsWith("http://") && o.endsWith(":80")) {
            return o.substring(0, o.length() - 3);
        }
        if (o.startsWith("https://") && o.endsWith(":443")) {
            return o.substring(0, o.length() - 4);
        }
        return o;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}
