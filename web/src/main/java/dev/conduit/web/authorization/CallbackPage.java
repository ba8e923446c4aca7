package dev.conduit.web.authorization;

import dev.conduit.api.ConduitException;
import dev.conduit.core.lifecycle.AuthorizationStatus;
import java.security.SecureRandom;
import java.util.Base64;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The small page the provider's redirect lands on: "Authorization complete, you can close this window", or what went
 * wrong and what to do. A window that opened it is told through {@code postMessage}, addressed to Conduit's own origin
 * only. Everything shown is HTML-escaped; the script is the page's only one, allowed by its nonce.
 *
 * @param html          the page
 * @param scriptNonce   the nonce the Content-Security-Policy allows
 */
public record CallbackPage(String html, String scriptNonce) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The page's Content-Security-Policy: nothing but its own inline script and style. */
    public String contentSecurityPolicy() {
        return "default-src 'none'; script-src 'nonce-" + scriptNonce + "'; style-src 'nonce-" + scriptNonce
                + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** The page for a completed authorization. */
    public static CallbackPage completed(AuthorizationStatus status, String conduitOrigin) {
        String body = "<h1>Authorization complete, you can close this window</h1>\n"
                + "<p>Conduit can now call <strong>" + esc(status.systemName()) + "</strong> for you"
                + (status.scope().isEmpty() ? "" : " with the scope <code>" + esc(status.scope().toString()) + "</code>")
                + ".</p>\n";
        return page("Authorization complete", body, status.systemName(), "AUTHORIZED", null, conduitOrigin);
    }

    /** The page for a callback that could not be completed: the reason, and what to do. */
    public static CallbackPage failed(ConduitException e, String conduitOrigin) {
        StringBuilder body = new StringBuilder()
                .append("<h1>Authorization not completed</h1>\n")
                .append("<p class=\"reason\">").append(esc(e.getMessage())).append("</p>\n")
                .append("<p><strong>What to do:</strong> ").append(esc(e.hint())).append("</p>\n");
        e.oauthError().ifPresent(error -> {
            body.append("<p>The provider answered <code>").append(esc(error.error())).append("</code>");
            if (error.errorDescription() != null) {
                body.append(": ").append(esc(error.errorDescription()));
            }
            body.append("</p>\n");
        });
        body.append("<p class=\"code\">Error code: <code>").append(esc(e.code().name())).append("</code></p>\n");
        return page("Authorization not completed", body.toString(), e.systemName().orElse(""), "ERROR",
                e.code().name(), conduitOrigin);
    }

    /** The page for an error nobody anticipated: no details, only where to look. */
    public static CallbackPage unexpected(String reference, String conduitOrigin) {
        String body = "<h1>Authorization not completed</h1>\n<p class=\"reason\">An unexpected error occurred "
                + "(reference " + esc(reference) + ").</p>\n<p><strong>What to do:</strong> open a new authorization "
                + "link; if this happens again, the server log has the details under this reference.</p>\n";
        return page("Authorization not completed", body, "", "ERROR", "INTERNAL_ERROR", conduitOrigin);
    }

    private static CallbackPage page(String title, String body, String system, String status, String code,
            String origin) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"referrer\" content=\"no-referrer\">\n"
                + "<title>" + esc(title) + " - Conduit</title>\n"
                + "<style nonce=\"" + nonce + "\">body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;"
                + "padding:0 1em;line-height:1.5}h1{font-size:1.4em}code{background:#f2f2f2;padding:0 .2em}</style>\n"
                + "</head>\n<body data-system=\"" + esc(system) + "\" data-status=\"" + esc(status) + "\" data-code=\""
                + esc(code == null ? "" : code) + "\" data-origin=\"" + esc(origin) + "\">\n"
                + body
                + "<script nonce=\"" + nonce + "\">\n"
                + "(function () {\n"
                + "  var d = document.body.dataset;\n"
                + "  if (window.opener && !window.opener.closed) {\n"
                + "    window.opener.postMessage({type: 'conduit-authorization', system: d.system, status: d.status,"
                + " code: d.code || null}, d.origin);\n"
                + "  }\n"
                + "})();\n"
                + "</script>\n</body>\n</html>\n";
        return new CallbackPage(html, nonce);
    }

    private static String esc(String value) {
        return value == null ? "" : StringEscapeUtils.escapeHtml4(value);
    }
}
