package dev.conduit.core.lifecycle;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.FailureScope;
import dev.conduit.api.grant.Grant;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.grant.InteractiveGrant;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.endpoint.TokenEndpointFactory;
import dev.conduit.core.observe.EngineObserver;
import dev.conduit.core.observe.LogFields;
import dev.conduit.core.observe.Observation;
import dev.conduit.core.observe.TokenRequestKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves access tokens: from memory when fresh, else once per key through the store's exclusive update, refreshing
 * ahead of expiry and retrying with backoff within the system's retry policy.
 *
 * <p>The hot path is one map lookup and one clock read: no I/O, no lock. A miss goes single-flight per
 * {@link TokenKey} in this JVM (callers of one key share one future), then through {@link TokenStore#update}, which is
 * exclusive across nodes and re-reads the store, since another node may have refreshed meanwhile. The retry loop sits
 * outside that lock: the lock is held for one token request at most, never across a backoff sleep.
 */
public final class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class.getName());

    /** Failures that another attempt may cure. */
    private static final Set<ErrorCode> RETRYABLE = EnumSet.of(ErrorCode.ENDPOINT_UNAVAILABLE, ErrorCode.RATE_LIMITED);


    private final ConnectedSystemRepository systems;
    private final TokenStore store;
    private final GrantRegistry grants;
    private final TokenEndpointFactory endpoints;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EngineObserver observer;

    private final TokenCache<CachedToken> cache = new TokenCache<>(cached -> cached.token().expiresAt().toEpochMilli());
    private final ConcurrentHashMap<TokenKey, CompletableFuture<CachedToken>> inFlight = new ConcurrentHashMap<>();

    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock) {
        this(systems, store, grants, endpoints, clock, Sleeper.THREAD);
    }

    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock, Sleeper sleeper) {
        this(systems, store, grants, endpoints, clock, sleeper, EngineObserver.NONE);
    }

    /** With an {@code observer} that hears cache hits and token requests (metrics, traces). */
    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock, Sleeper sleeper, EngineObserver observer) {
        this.systems = Objects.requireNonNull(systems, "systems");
        this.store = Objects.requireNonNull(store, "store");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * A valid access token of {@code systemName} for {@code subject}: the application for per-app systems, a user for
     * per-user ones.
     *
     * @throws ConduitException {@code AUTHORIZATION_REQUIRED} (the user must open an authorization link),
     *                          {@code SYSTEM_DISABLED}, {@code WRONG_SUBJECT}, or the token endpoint's failure
     */
    public AccessToken accessToken(String systemName, Subject subject) {
        CachedToken cached = cache.get(systemName, subject); // no key object: the hit allocates nothing
        if (cached != null && clock.millis() < cached.refreshAtMillis()) {
            observer.cacheHit();
            return cached.token();
        }
        observer.cacheMiss();
        return obtainShared(new TokenKey(systemName, subject), false);
    }

    /**
     * Forgets {@code rejected} if it is still the current token, so the next call fetches a new one; true if it was
     * current. A stored refresh token is kept, so a per-user token is refreshed rather than lost.
     */
    public boolean invalidate(String systemName, Subject subject, AccessToken rejected) {
        TokenKey key = new TokenKey(systemName, subject);
        boolean[] wasCurrent = {false};
        store.update(key, current -> {
            if (current.isEmpty() || !current.get().accessToken().equals(rejected.value())) {
                return current;
            }
            wasCurrent[0] = true;
            TokenSet stale = current.get();
            if (stale.refreshToken() == null) {
                return Optional.empty();
            }
            // keep the refresh token; an expiry of "issued" makes the next call refresh
            return Optional.of(new TokenSet(stale.accessToken(), stale.tokenType(), stale.issuedAt(), stale.issuedAt(),
                    stale.refreshToken(), stale.scope()));
        });
        cache.removeIf(key, c -> c.token().value().equals(rejected.value()));
        return wasCurrent[0];
    }

    /**
     * Obtains a new application token now, ignoring the cache and an {@code ERROR} status; success puts the system
     * back to {@code OK}. This is the administrator's "test" of a per-app system.
     */
    public AccessToken test(String systemName) {
        return obtainShared(new TokenKey(systemName, Subject.application()), true);
    }

    /** Puts a system back to {@code OK} so that calls are attempted again. */
    public void enable(String systemName) {
        systems.setStatus(systemName, SystemStatus.ok(clock.instant()));
    }

    /** Stores tokens obtained elsewhere, e.g. by completing an authorization, and serves them from now on. */
    public void accept(String systemName, Subject subject, TokenSet tokens) {
        accept(system(systemName), subject, tokens);
    }

    /** {@link #accept(String, Subject, TokenSet)} for a caller that has just read the system. */
    void accept(ConnectedSystem system, Subject subject, TokenSet tokens) {
        requireMatchingSubject(system, grants.get(system.grantType()), subject);
        TokenKey key = new TokenKey(system.name(), subject);
        store.update(key, current -> Optional.of(tokens));
        cache.put(key, cacheEntry(system, tokens));
    }

    /** Forgets and removes every token of a system (edited or deleted). */
    public void discard(String systemName) {
        cache.removeSystem(systemName);
        store.removeAll(systemName);
    }

    /** Forgets and removes one subject's token. */
    public void discard(String systemName, Subject subject) {
        TokenKey key = new TokenKey(systemName, subject);
        cache.remove(key);
        store.remove(key);
    }

    // ---------------------------------------------------------------------------------------------- slow path

    private AccessToken obtainShared(TokenKey key, boolean forceNew) {
        ConnectedSystem system = system(key.systemName());
        Grant grant = grants.get(system.grantType());
        requireMatchingSubject(system, grant, key.subject());
        if (!forceNew) {
            SystemStatus status = systems.status(system.name());
            if (!status.isOk()) {
                throw ConduitException.builder(ErrorCode.SYSTEM_DISABLED,
                        "connected system '" + system.name() + "' is disabled (" + status.code() + "): "
                                + status.reason())
                        .system(system.name()).build();
            }
        }
        Instant deadline = clock.instant().plus(system.retryPolicy().maxWait());
        while (true) {
            CompletableFuture<CachedToken> mine = new CompletableFuture<>();
            CompletableFuture<CachedToken> running = inFlight.putIfAbsent(key, mine);
            if (running != null) {
                CachedToken shared = await(running, deadline, system);
                if (!forceNew || shared.issuedAfter(deadline.minus(system.retryPolicy().maxWait()))) {
                    return shared.token();
                }
                continue; // a test must see a token requested after it began: join the next flight
            }
            try {
                CachedToken fresh = obtain(system, grant, key, forceNew, deadline);
                cache.put(key, fresh);
                cache.evictExpired(clock.millis());
                mine.complete(fresh);
                return fresh.token();
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                inFlight.remove(key, mine);
            }
        }
    }

    /** Waits for another caller's flight, but only until this caller's own deadline. */
    private CachedToken await(CompletableFuture<CachedToken> running, Instant deadline, ConnectedSystem system) {
        long waitMillis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        try {
            return running.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConduitException ce) {
                throw ce;
            }
            throw new ConduitException(ErrorCode.INTERNAL_ERROR, "token request failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw ConduitException.builder(ErrorCode.ENDPOINT_UNAVAILABLE, "gave up waiting for a token of '"
                    + system.name() + "' after " + system.retryPolicy().maxWait().toSeconds() + " s")
                    .system(system.name()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.ENDPOINT_UNAVAILABLE, "interrupted while waiting for a token");
        }
    }

    /** The retry loop: each attempt is one exclusive store update holding at most one token request. */
    private CachedToken obtain(ConnectedSystem system, Grant grant, TokenKey key, boolean forceNew, Instant deadline) {
        GrantRequest request = new GrantRequest(system, key.subject(), endpoints.forSystem(system), clock);
        int maxAttempts = system.retryPolicy().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            Attempt outcome = new Attempt(forceNew);
            try {
                Optional<TokenSet> result = store.update(key, current -> outcome.apply(current, system, grant, request));
                if (result.isEmpty()) {
                    cache.remove(key);
                    throw authorizationRequired(system, outcome.invalidGrant
                            ? "the refresh token was refused (invalid_grant): the user must authorize again"
                            : "the user has not authorized '" + system.name() + "' yet");
                }
                if (outcome.requested && !systems.status(system.name()).isOk()) {
                    systems.setStatus(system.name(), SystemStatus.ok(clock.instant()));
                }
                return cacheEntry(system, result.get());
            } catch (ConduitException e) {
                ConduitException failure = e.forSystem(system.name());
                if (neverDisables(failure.code())) {
                    throw failure;
                }
                Duration wait = Backoff.after(attempt, failure.retryAfter().orElse(null));
                boolean retry = RETRYABLE.contains(failure.code()) && attempt < maxAttempts
                        && clock.instant().plus(wait).isBefore(deadline);
                if (!retry) {
                    disable(system, failure, attempt);
                    throw failure;
                }
                int failed = attempt;
                LogFields.log(LOG, Level.FINE, system.name(), failure.code(), () -> "token request " + failed
                        + " for " + system.name() + " failed (" + failure.code() + "); retrying in " + wait.toMillis()
                        + " ms");
                sleep(wait);
            }
        }
    }

    /**
     * Failures that are not the connected system's: a request's, a user's, or Conduit's own (its database). They fail
     * the call that met them and never disable the system (see {@link FailureScope}).
     */
    private static boolean neverDisables(ErrorCode code) {
        return code.scope() == FailureScope.REQUEST || code.scope() == FailureScope.USER
                || code.scope() == FailureScope.CONDUIT || code == ErrorCode.SYSTEM_DISABLED;
    }

    private void disable(ConnectedSystem system, ConduitException failure, int attempts) {
        String reason = failure.getMessage() + (RETRYABLE.contains(failure.code())
                ? " (gave up after " + attempts + (attempts == 1 ? " attempt)" : " attempts)") : "");
        systems.setStatus(system.name(), SystemStatus.error(failure.code(), reason, clock.instant()));
        cache.removeSystem(system.name());
        LogFields.log(LOG, Level.WARNING, system.name(), failure.code(),
                () -> "connected system '" + system.name() + "' disabled: " + reason + ". " + failure.hint());
    }

    private void sleep(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.ENDPOINT_UNAVAILABLE, "interrupted while waiting to retry");
        }
    }

    /** One attempt's decision, made while holding the key: reuse, refresh, acquire, or give up on the user. */
    private final class Attempt {
        private final boolean forceNew;
        boolean requested;
        boolean invalidGrant;

        Attempt(boolean forceNew) {
            this.forceNew = forceNew;
        }

        Optional<TokenSet> apply(Optional<TokenSet> current, ConnectedSystem system, Grant grant, GrantRequest request) {
            if (!forceNew && current.isPresent() && isFresh(system, current.get())) {
                return current; // another caller or node refreshed while we waited for the key
            }
            Optional<dev.conduit.api.Secret> refreshToken = current.flatMap(TokenSet::refreshTokenIfAny);
            requested = true;
            if (refreshToken.isPresent() && grant.supportsRefresh()) {
                try {
                    TokenSet refreshed = observed(system, TokenRequestKind.REFRESH,
                            () -> grant.refresh(request, refreshToken.get()));
                    // RFC 6749 section 6: no new refresh token keeps the old one; no scope means the scope granted
                    if (refreshed.refreshToken() == null) {
                        refreshed = refreshed.withRefreshToken(refreshToken.get());
                    }
                    if (refreshed.scope().isEmpty()) {
                        TokenSet previous = current.get();
                        refreshed = new TokenSet(refreshed.accessToken(), refreshed.tokenType(), refreshed.issuedAt(),
                                refreshed.expiresAt(), refreshed.refreshToken(), previous.scope());
                    }
                    return Optional.of(refreshed);
                } catch (ConduitException e) {
                    if (e.code() != ErrorCode.INVALID_GRANT) {
                        throw e;
                    }
                    invalidGrant = true;
                    return Optional.empty(); // delete the user's tokens in the same transaction
                }
            }
            if (grant instanceof InteractiveGrant) {
                requested = false;
                return Optional.empty(); // nothing to refresh with: only the user can authorize
            }
            return Optional.of(observed(system, TokenRequestKind.ACQUIRE, () -> grant.acquire(request)));
        }
    }

    /** One token request, told to the observer with its outcome. */
    private TokenSet observed(ConnectedSystem system, TokenRequestKind kind, Supplier<TokenSet> request) {
        Observation observation = observer.tokenRequest(system.name(), system.grantType(), kind);
        try {
            TokenSet tokens = request.get();
            observation.succeeded(200);
            return tokens;
        } catch (ConduitException e) {
            observation.failed(e.code());
            throw e;
        } catch (RuntimeException e) {
            observation.failed(ErrorCode.INTERNAL_ERROR);
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private ConnectedSystem system(String name) {
        return systems.get(name);
    }

    private static void requireMatchingSubject(ConnectedSystem system, Grant grant, Subject subject) {
        boolean perUser = grant.tokenScope() == TokenScope.PER_USER;
        if (perUser != subject.isUser()) {
            throw ConduitException.builder(ErrorCode.WRONG_SUBJECT, "connected system '" + system.name() + "' issues "
                    + (perUser ? "per-user tokens: ask for a user's token" : "one token for the application: ask for"
                            + " the application's token")).system(system.name()).build();
        }
    }

    private ConduitException authorizationRequired(ConnectedSystem system, String message) {
        return ConduitException.builder(ErrorCode.AUTHORIZATION_REQUIRED, message).system(system.name()).build();
    }

    private boolean isFresh(ConnectedSystem system, TokenSet tokens) {
        return clock.instant().isBefore(refreshAt(system, tokens));
    }

    /** Expiry minus {@code min(refreshAhead, lifetime / 2)}, so a short-lived token cannot refresh in a loop. */
    static Instant refreshAt(ConnectedSystem system, TokenSet tokens) {
        Duration lifetime = Duration.between(tokens.issuedAt(), tokens.expiresAt());
        Duration lead = lifetime.isNegative() ? Duration.ZERO : lifetime.dividedBy(2);
        if (system.refreshAhead().compareTo(lead) < 0) {
            lead = system.refreshAhead();
        }
        return tokens.expiresAt().minus(lead);
    }

    private CachedToken cacheEntry(ConnectedSystem system, TokenSet tokens) {
        AccessToken token = new AccessToken(tokens.accessToken(), tokens.tokenType(), tokens.expiresAt(),
                tokens.scope());
        return new CachedToken(token, refreshAt(system, tokens).toEpochMilli(), tokens.issuedAt());
    }

    /** What the hot path reads: the token and the instant (epoch millis) from which it must be refreshed. */
    private record CachedToken(AccessToken token, long refreshAtMillis, Instant issuedAt) {
        boolean issuedAfter(Instant instant) {
            return !issuedAt.isBefore(instant);
        }
    }
}
