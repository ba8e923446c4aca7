package dev.conduit.web.authorization;

import java.net.URI;
import java.util.Optional;

/**
 * Where people and providers reach Conduit, and so the redirect URI to register at each provider:
 * {@code conduit.public-url} when set (behind a proxy), else the scheme, host and port of the request.
 */
public final class PublicUrl {

    public static final String CALLBACK_PATH = "/oauth/callback";

    private final Optional<URI> configured;

    public PublicUrl(Optional<String> configured) {
        this.configured = configured.filter(v -> !v.isBlank()).map(PublicUrl::parse);
    }

    /** The public base URL, without a trailing slash. */
    public String base(URI requestUri) {
        URI uri = configured.orElse(requestUri);
        String path = configured.isPresent() && uri.getRawPath() != null ? uri.getRawPath() : "";
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return uri.getScheme() + "://" + uri.getRawAuthority() + path;
    }

    /** The redirect URI: {@code <public-url>/oauth/callback}. */
    public String redirectUri(URI requestUri) {
        return base(requestUri) + CALLBACK_PATH;
    }

    /** The origin ({@code scheme://host:port}) a callback page may post its message to. */
    public String origin(URI requestUri) {
        URI uri = configured.orElse(requestUri);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static URI parse(String value) {
        URI uri = URI.create(value.strip());
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("conduit.public-url must be an absolute http(s) URL, e.g. https://conduit.example.com");
        }
        return uri;
    }
}
