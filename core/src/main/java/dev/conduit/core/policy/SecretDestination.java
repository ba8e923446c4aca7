package dev.conduit.core.policy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import dev.conduit.core.template.TemplateRenderer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A stored secret goes only to the hosts it was entered for. An edit that keeps a write-only value (the client secret,
 * the private_key_jwt key, a secret variable) without sending it again may not also move where that value, or the
 * tokens it obtains, go: a new origin (scheme, host, port) of the token, revocation or introspection endpoint (each
 * receives the client authentication) or of the integration base URL, or another client authentication method. Otherwise anyone allowed to edit a system could point
 * it at their own host and receive every stored secret at the next token request.
 */
public final class SecretDestination {

    /** The write-only client fields, by the JSON name an error names. */
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String CLIENT_ASSERTION_KEY = "clientAssertionKey";
    /** A secret variable's field is this prefix plus its name, e.g. {@code variables.apiKey}. */
    public static final String VARIABLES = "variables.";

    /** The destinations a secret or token follows, each read from a system as a URL template. */
    private static final Map<String, Function<ConnectedSystem, Optional<String>>> DESTINATIONS = destinations();

    private SecretDestination() {
    }

    private static Map<String, Function<ConnectedSystem, Optional<String>>> destinations() {
        Map<String, Function<ConnectedSystem, Optional<String>>> d = new LinkedHashMap<>();
        d.put("tokenEndpoint", s -> Optional.of(s.endpoints().token()));
        d.put("revocationEndpoint", s -> s.endpoints().revocation());
        d.put("introspectionEndpoint", s -> s.endpoints().introspection());
        d.put("integrationBaseUrl", s -> s.integration().baseUrl());
        return Map.copyOf(d);
    }

    /**
     * The edited system, checked against the stored one: when the edit moves a destination, every kept write-only value
     * the edited system uses must have been sent again; a kept value it no longer uses (the client secret after a switch
     * to private_key_jwt) is dropped rather than carried to the new destination.
     *
     * @param stored the system as stored before the edit
     * @param edited the system the edit describes
     * @param kept   the write-only fields the edit took from {@code stored} because the request left them out
     *               ({@code clientSecret}, {@code clientAssertionKey}, {@code variables.<name>})
     * @throws ConduitException {@code SECRET_REQUIRED} naming the first such field; the message names every one and
     *                          what moved, never a value
     */
    public static ConnectedSystem requireResent(ConnectedSystem stored, ConnectedSystem edited, Set<String> kept) {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(edited, "edited");
        if (kept.isEmpty()) {
            return edited;
        }
        List<String> moved = moved(stored, edited);
        if (moved.isEmpty()) {
            return edited;
        }
        ConnectedSystem.Builder dropped = null;
        List<String> required = new ArrayList<>();
        for (String field : kept) {
            if (uses(edited, field)) {
                required.add(field);
            } else {
                dropped = dropped == null ? edited.toBuilder() : dropped;
                drop(dropped, field);
            }
        }
        if (!required.isEmpty()) {
            throw ConduitException.builder(ErrorCode.SECRET_REQUIRED, required.get(0) + ": this edit changes "
                    + String.join(" and ", moved) + ", so the stored " + String.join(", ", required)
                    + (required.size() == 1 ? " is" : " are") + " not sent there: send "
                    + (required.size() == 1 ? "it" : "them") + " again in the same request")
                    .field(required.get(0)).system(edited.name()).build();
        }
        return dropped == null ? edited : dropped.build();
    }

    /** What the edit moves, described for a person, e.g. {@code "the host of tokenEndpoint"}; empty when nothing. */
    static List<String> moved(ConnectedSystem stored, ConnectedSystem edited) {
        List<String> moved = new ArrayList<>();
        DESTINATIONS.forEach((field, url) -> {
            Optional<String> after = url.apply(edited).map(u -> origin(edited, field, u));
            Optional<String> before = url.apply(stored).map(u -> origin(stored, field, u));
            if (after.isPresent() && !after.equals(before)) {
                moved.add("the host of " + field);
            }
        });
        if (edited.client().method() != stored.client().method()) {
            moved.add("clientAuthMethod");
        }
        return moved;
    }

    /** Scheme, host and port of a URL template rendered with the system's variables; the raw text when it is no URL. */
    private static String origin(ConnectedSystem system, String field, String template) {
        try {
            URI url = TemplateRenderer.of(system).renderUrl(field, template);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            String host = url.getHost() == null ? url.getRawAuthority() : url.getHost().toLowerCase(Locale.ROOT);
            int port = url.getPort() >= 0 ? url.getPort() : "http".equals(scheme) ? 80 : "https".equals(scheme) ? 443 : -1;
            return scheme + "://" + host + ":" + port;
        } catch (ConduitException e) {
            // not a URL (the save refuses it later): any change of the text counts as a move
            return template;
        }
    }

    private static boolean uses(ConnectedSystem system, String field) {
        ClientAuthMethod method = system.client().method();
        return switch (field) {
            case CLIENT_SECRET -> method != ClientAuthMethod.PRIVATE_KEY_JWT;
            case CLIENT_ASSERTION_KEY -> method == ClientAuthMethod.PRIVATE_KEY_JWT;
            // a secret variable may fill any template the token request sends
            default -> true;
        };
    }

    private static void drop(ConnectedSystem.Builder builder, String field) {
        switch (field) {
            case CLIENT_SECRET -> builder.clientSecret((Secret) null);
            case CLIENT_ASSERTION_KEY -> builder.clientAssertionKey((Secret) null);
            default -> builder.variable(Variable.secret(field.substring(VARIABLES.length()), null));
        }
    }
}
