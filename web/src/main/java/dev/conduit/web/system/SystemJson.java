package dev.conduit.web.system;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.administration.SystemDraft;
import dev.conduit.core.policy.SecretDestination;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import dev.conduit.web.json.ConnectedSystemJson;
import dev.conduit.web.json.JsonFields;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A connected system's configuration as JSON, both ways. Secrets are write-only: {@link #read} takes
 * {@code clientSecret} and secret variable values, {@link #write} shows only that they are set.
 *
 * <p>The members a read shows but a write ignores ({@code clientSecretSet}, {@code redirectUri}, {@code status}...)
 * are accepted on input, so that a system read with GET can be changed and sent back with PUT.
 */
public final class SystemJson {

    /** Configuration members: the fields {@link SystemFields} describes, and the version an edit was based on. */
    static final Set<String> CONFIGURATION;

    /** Request flags: {@code discover} fills the endpoints from the issuer's metadata. */
    static final Set<String> FLAGS = Set.of("discover");

    /** Members only a read shows (each secret's {@code ...Set} and {@code ...Required} too); ignored on input. */
    static final Set<String> READ_ONLY;

    private static final String SET = "Set";
    private static final String REQUIRED = "Required";
    private static final Set<String> ALL;

    static {
        Set<String> configuration = new LinkedHashSet<>(ConnectedSystemJson.MEMBERS);
        configuration.add("version");
        CONFIGURATION = Set.copyOf(configuration);
        Set<String> readOnly = new LinkedHashSet<>(Set.of("tokenScope", "redirectUri", "status", "disabledReason",
                "hint", "errorCode", "statusSince", "tokenTest", "source", "readOnly", "lastTokenAt"));
        SystemFields.secrets().forEach(f -> readOnly.addAll(Set.of(f.name() + SET, f.name() + REQUIRED)));
        READ_ONLY = Set.copyOf(readOnly);
        Set<String> all = new LinkedHashSet<>(CONFIGURATION);
        all.addAll(READ_ONLY);
        all.addAll(FLAGS);
        ALL = Set.copyOf(all);
    }

    private SystemJson() {
    }

    /**
     * Builds a system from its JSON, refusing {@code discover} (imports give the endpoints). Where the JSON leaves a
     * secret out, the {@code stored} system's secret is kept (write-only secrets survive an edit that does not repeat
     * them).
     *
     * @param json   the request object
     * @param name   the name from the URL, or {@code null} to take it from the JSON
     * @param stored the system as stored, when this is an edit
     * @throws ConduitException {@code INVALID_REQUEST} or {@code INVALID_CONFIGURATION} naming the field
     */
    public static ConnectedSystem read(JsonObject json, String name, Optional<ConnectedSystem> stored) {
        SystemDraft draft = draft(json, name, stored);
        if (draft.discoverFrom().isPresent()) {
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST,
                    "discover: is not offered here; give the endpoints").field("discover").build();
        }
        return draft.builder().build();
    }

    /**
     * Reads a system from its JSON without calling anything: with {@code "discover": true}, or when it names an
     * {@code issuer} but no {@code tokenEndpoint}, the draft asks {@link SystemAdministration#complete} to fill the
     * endpoints it leaves empty from the issuer's metadata.
     *
     * @throws ConduitException {@code INVALID_CONFIGURATION} ({@code issuer}) when discovery is asked without an
     *                          issuer, or the invalid field
     */
    public static SystemDraft draft(JsonObject json, String name, Optional<ConnectedSystem> stored) {
        JsonFields in = JsonFields.of(json).allowOnly(ALL);
        ConnectedSystem.Builder b = builder(in, name, stored);
        Set<String> kept = keptSecrets(in, stored);
        String issuer = in.string("issuer");
        boolean discover = Boolean.TRUE.equals(in.bool("discover"))
                || issuer != null && !issuer.isBlank() && in.string("tokenEndpoint") == null;
        if (!discover) {
            return SystemDraft.of(b, kept);
        }
        if (issuer == null || issuer.isBlank()) {
            throw ConduitException.invalidField("issuer", "is required to discover the endpoints (discover: true)");
        }
        return new SystemDraft(b, Optional.of(issuer.strip()), in.string("clientAuthMethod") != null,
                in.has("clientAssertionKey") || stored.flatMap(s -> s.client().assertionKey()).isPresent(), kept);
    }

    /**
     * The write-only values the edit keeps from {@code stored} because {@code in} leaves them out, by field:
     * {@code clientSecret}, {@code clientAssertionKey}, {@code variables.<name>} (a secret variable without
     * {@code value}); an edit that moves where they go must send them again ({@link SecretDestination}).
     */
    private static Set<String> keptSecrets(JsonFields in, Optional<ConnectedSystem> stored) {
        if (stored.isEmpty()) {
            return Set.of();
        }
        Set<String> kept = new LinkedHashSet<>();
        for (SystemField secret : SystemFields.secrets()) {
            if (in.string(secret.name()) == null && secret.get(stored.get()) != null) {
                kept.add(secret.name());
            }
        }
        JsonFields variables = in.object("variables");
        if (variables != null) {
            for (String variable : variables.names()) {
                JsonFields v = variables.object(variable);
                Variable before = stored.get().variables().get(variable);
                if (v != null && Boolean.TRUE.equals(v.bool("secret")) && v.string("value") == null
                        && before != null && before.secret() && before.secretValue() != null) {
                    kept.add(SecretDestination.VARIABLES + variable);
                }
            }
        }
        return kept;
    }

    private static ConnectedSystem.Builder builder(JsonFields in, String name, Optional<ConnectedSystem> stored) {
        String bodyName = in.string("name");
        if (name != null && bodyName != null && !bodyName.equals(name)) {
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST,
                    "name: '" + bodyName + "' differs from the name in the URL; a connected system cannot be renamed "
                            + "(create a new one and delete the old)").field("name").build();
        }
        ConnectedSystem.Builder b = ConnectedSystemJson.read(in, ConnectedSystem.builder(), stored);
        b.name(name != null ? name : bodyName);
        Long version = in.integer("version", 0, Long.MAX_VALUE);
        b.version(version != null ? version : stored.map(ConnectedSystem::version).orElse(0L));
        return b;
    }

    /**
     * The configuration as JSON, without secrets: {@code clientSecretSet}, {@code clientAssertionKeySet} and each
     * secret variable's {@code valueSet}.
     */
    public static JsonObjectBuilder write(ConnectedSystem s) {
        JsonObjectBuilder json = ConnectedSystemJson.write(s);
        SystemFields.secrets().forEach(secret -> json.add(secret.name() + SET, secret.get(s) != null));
        json.add("version", s.version());
        return json;
    }

    /**
     * The configuration as it goes into an export package: no secret and no version; {@code clientSecretRequired} says
     * that the target environment must supply a client secret in the customization file,
     * {@code clientAssertionKeyRequired} the same of a private_key_jwt signing key.
     */
    public static JsonObject writeForExport(ConnectedSystem s) {
        JsonObjectBuilder json = ConnectedSystemJson.write(s);
        SystemFields.secrets().forEach(secret -> json.add(secret.name() + REQUIRED, secret.get(s) != null));
        return json.build();
    }
}
