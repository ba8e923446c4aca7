package dev.conduit.core.administration;

import dev.conduit.api.ConduitException;
import dev.conduit.api.grant.AcquiringGrant;
import dev.conduit.api.grant.Grant;
import dev.conduit.api.grant.InteractiveGrant;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.api.system.TokenScope;
import dev.conduit.core.config.ConfiguredSystems;
import dev.conduit.core.discovery.AuthorizationServerMetadata;
import dev.conduit.core.discovery.MetadataDiscovery;
import dev.conduit.core.endpoint.ClientAssertion;
import dev.conduit.core.endpoint.TokenIntrospection;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.policy.SecretDestination;
import dev.conduit.api.token.Subject;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What an administrator does to connected systems: every save is validated first (installed grant, the grant's own
 * rules, the endpoint policy), so a refused change leaves the stored state untouched; an edit that changes how the
 * provider is reached discards the tokens issued under the old configuration; a client-credentials system is tested
 * right after it is saved.
 */
public final class SystemAdministration {

    private final ConnectedSystemRepository systems;
    private final GrantRegistry grants;
    private final Consumer<ConnectedSystem> endpointPolicy;
    private final TokenService tokens;
    private final Clock clock;
    private final MetadataDiscovery discovery;
    private final ConfiguredSystems declared;
    private final TokenIntrospection introspection;

    /**
     * @param endpointPolicy          refuses a system whose URLs the endpoint policy does not allow
     *                                ({@code ENDPOINT_NOT_ALLOWED})
     * @param declared                the systems declared in configuration, which are read-only
     * @param discovery               reads an issuer's metadata when a system is saved with discovery asked
     * @param introspection           checks the token a test obtained, for systems with an introspection endpoint
     */
    public SystemAdministration(ConnectedSystemRepository systems, GrantRegistry grants,
            Consumer<ConnectedSystem> endpointPolicy, TokenService tokens, Clock clock,
            ConfiguredSystems declared, MetadataDiscovery discovery, TokenIntrospection introspection) {
        this.introspection = Objects.requireNonNull(introspection, "introspection");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.declared = Objects.requireNonNull(declared, "declared");
        this.systems = Objects.requireNonNull(systems, "systems");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.endpointPolicy = Objects.requireNonNull(endpointPolicy, "endpointPolicy");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A saved system and, for systems that obtain tokens on their own, the token test run right after. */
    public record Saved(ConnectedSystem system, Optional<TokenTest> tokenTest) {
    }

    public List<ConnectedSystem> list() {
        return systems.findAll();
    }

    /** The system, or {@code UNKNOWN_SYSTEM}. */
    public ConnectedSystem get(String name) {
        return systems.get(name);
    }

    public Optional<ConnectedSystem> find(String name) {
        return systems.find(name);
    }

    /** The grant types installed, e.g. {@code client_credentials}. */
    public java.util.Collection<String> grantTypes() {
        return grants.types();
    }

    /** Whether the system is declared in configuration ({@code conduit.systems.<name>.*}): read-only through the API. */
    public boolean isDeclaredInConfiguration(String name) {
        return declared.declares(name);
    }

    /** Refuses, before anything is read or checked, a change to a system declared in configuration. */
    public void requireWritable(String name) {
        declared.requireWritable(name);
    }

    public SystemStatus status(String name) {
        return systems.status(name);
    }

    /** Whose tokens the system's grant issues, or empty when its grant is not installed (any more). */
    public Optional<TokenScope> tokenScope(ConnectedSystem system) {
        try {
            return Optional.of(grants.get(system.grantType()).tokenScope());
        } catch (ConduitException e) {
            return Optional.empty();
        }
    }

    /** When the system last obtained its application token (per-app systems); empty for per-user systems. */
    public Optional<Instant> lastTokenAt(ConnectedSystem system) {
        return isPerUser(system) ? Optional.empty() : tokens.lastIssued(system.name());
    }

    /**
     * Whether the system holds one token per user; a system whose grant is not installed counts as per-app, so that a
     * call fails on the missing grant rather than on the caller.
     */
    public boolean isPerUser(ConnectedSystem system) {
        return tokenScope(system).orElse(TokenScope.PER_APP) == TokenScope.PER_USER;
    }

    /**
     * Whom a call to the system is made for: the application for a per-app system, the logged-in {@code user} for a
     * per-user one ({@code FORBIDDEN} without one).
     */
    public Subject subjectFor(ConnectedSystem system, Principal user) {
        return isPerUser(system) ? Callers.user(user) : Subject.application();
    }

    /**
     * Checks what saving the system requires, without saving: the grant type is installed, the grant accepts the
     * system, every URL passes the endpoint policy, and a private_key_jwt key can sign.
     */
    public void validate(ConnectedSystem system) {
        grants.validate(system);
        endpointPolicy.accept(system);
        if (system.client().method() == ClientAuthMethod.PRIVATE_KEY_JWT) {
            ClientAssertion.validateKey(system.client().assertionKey().orElseThrow());
        }
    }

    /**
     * What discovery finds at {@code issuer}, without saving anything, so that a person can review the endpoints
     * before they save; a failure names the field {@code issuer}.
     */
    public AuthorizationServerMetadata discover(String issuer) {
        try {
            return discovery.discover(issuer);
        } catch (ConduitException e) {
            throw e.field().isPresent() ? e : ConduitException.builder(e.code(), e.getMessage()).field("issuer")
                    .build();
        }
    }

    /**
     * The system a draft describes. When the draft asks for discovery, the endpoints it leaves empty, the RFC 9207
     * switch and (when no client authentication method was chosen) a method the server supports come from the
     * issuer's metadata (RFC 8414, else OpenID Connect Discovery).
     *
     * @throws ConduitException {@code ISSUER_MISMATCH} (field {@code issuer}) when the metadata names another issuer,
     *                          {@code DISCOVERY_FAILED}, or the invalid field; nothing is saved
     * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3.3">RFC 8414 section 3.3</a>
     */
    public ConnectedSystem complete(SystemDraft draft) {
        ConnectedSystem.Builder b = draft.builder();
        if (draft.discoverFrom().isEmpty()) {
            return b.build();
        }
        AuthorizationServerMetadata metadata = discovery.discover(draft.discoverFrom().get());
        metadata.applyTo(b);
        if (!draft.clientAuthMethodGiven()) {
            b.clientAuthMethod(metadata.clientAuthMethod(draft.hasAssertionKey()));
        }
        ConnectedSystem system = b.build();
        metadata.check(system);
        return system;
    }

    /** Stores the system a new draft describes; see {@link #complete} and {@link #create(ConnectedSystem)}. */
    public Saved create(SystemDraft draft) {
        return create(complete(draft));
    }

    /**
     * Edits a system: refuses a read-only one before anything else, then applies {@code edit} to the stored system and
     * saves the result as {@link #update(ConnectedSystem)} does. A write-only value the edit kept from the stored system
     * follows its destination ({@link SecretDestination}): nothing is saved or sent when the edit moves it elsewhere.
     *
     * @throws ConduitException {@code SECRET_REQUIRED} naming the secret to send again
     */
    public Saved update(String name, Function<ConnectedSystem, SystemDraft> edit) {
        requireWritable(name);
        ConnectedSystem stored = get(name);
        SystemDraft draft = edit.apply(stored);
        return update(SecretDestination.requireResent(stored, complete(draft), draft.keptSecrets()));
    }

    /** Stores a new system ({@code DUPLICATE_SYSTEM} when the name is taken), then tests it when it can be. */
    public Saved create(ConnectedSystem system) {
        requireWritable(system.name());
        validate(system);
        ConnectedSystem created = systems.create(system);
        return new Saved(created, testIfAutonomous(created));
    }

    /**
     * Replaces a system: its tokens are discarded when the change affects how the provider is reached, and it is back
     * to {@code OK} until the token test (when it can run) says otherwise.
     */
    public Saved update(ConnectedSystem system) {
        requireWritable(system.name());
        ConnectedSystem stored = get(system.name());
        validate(system);
        ConnectedSystem updated = systems.update(system);
        if (updated.credentialsDifferFrom(stored)) {
            tokens.discard(updated.name());
        }
        systems.setStatus(updated.name(), SystemStatus.ok(clock.instant()));
        return new Saved(updated, testIfAutonomous(updated));
    }

    /** Removes a system and every token issued for it. */
    public void delete(String name) {
        requireWritable(name);
        if (!systems.delete(name)) {
            throw ConnectedSystemRepository.unknown(name);
        }
        tokens.discard(name);
    }

    /** Puts a disabled system back to {@code OK}; the next token request tries the provider again. */
    public ConnectedSystem enable(String name) {
        ConnectedSystem system = get(name);
        tokens.enable(name);
        return system;
    }

    /** Whether the system's grant needs a person at a browser (authorization code) rather than obtaining tokens alone. */
    public boolean isInteractive(ConnectedSystem system) {
        return grants.interactive(system.grantType()).isPresent();
    }

    /**
     * Obtains a new application token now and reports the outcome; the system's status follows it. When the system has
     * an introspection endpoint, the report says whether that endpoint calls the new token active: the check that the
     * endpoints and the client belong together, which the status does not follow.
     */
    public TokenTest test(ConnectedSystem system) {
        AccessToken token;
        try {
            token = tokens.test(system);
        } catch (ConduitException e) {
            return TokenTest.failed(e.forSystem(system.name()));
        }
        return TokenTest.succeeded(token, system.endpoints().introspection().map(url -> introspect(system, token)));
    }

    private Introspection introspect(ConnectedSystem system, AccessToken token) {
        try {
            return Introspection.answered(introspection.isActive(system, token.value()));
        } catch (ConduitException e) {
            return Introspection.failed(e.forSystem(system.name()));
        }
    }

    private Optional<TokenTest> testIfAutonomous(ConnectedSystem system) {
        Grant grant = grants.get(system.grantType());
        if (!(grant instanceof AcquiringGrant) || grant instanceof InteractiveGrant
                || grant.tokenScope() != TokenScope.PER_APP) {
            return Optional.empty();
        }
        return Optional.of(test(system));
    }

}
