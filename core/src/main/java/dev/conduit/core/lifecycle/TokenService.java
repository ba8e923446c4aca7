package dev.conduit.core.lifecycle;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.FailureScope;
import dev.conduit.api.grant.AcquiringGrant;
import dev.conduit.api.grant.Grant;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.grant.InteractiveGrant;
import dev.conduit.api.grant.RefreshingGrant;
import dev.conduit.api.grant.RevokingGrant;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.endpoint.GrantedTokens;
import dev.conduit.core.endpoint.TokenEndpointFactory;
import dev.conduit.core.invalidation.Invalidation;
import dev.conduit.core.invalidation.Invalidations;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 *
 * <p>A failure stays within its scope ({@link FailureScope}): only a refused client, or a per-app token that cannot be
 * acquired, disables a system; a user's refresh failure fails only that user's call; Conduit's own (its database) fails
 * the call and nothing else. When a renewal fails while the current access token is still valid, that token is served
 * (stale-while-revalidate) and the renewal is tried again after the renewal window. A {@code Retry-After} longer than
 * the retry budget opens a back-off for the system: until then, calls fail fast without a token request.
 *
 * <p>Across servers: what changes a system's or a user's tokens (edit, delete, disable, disconnect) is published as an
 * {@link Invalidation} after it is committed, and every server forgets the tokens it holds of it. A token request that
 * began before such a change is checked inside the key's exclusive update, after the request and before anything is
 * stored: if the system was deleted or its credentials edited meanwhile, the new token is neither stored nor cached,
 * and it is revoked where the provider can revoke. A disconnect takes the key the same way, so it revokes whatever a
 * refresh running meanwhile stored.
 */
public final class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class.getName());

    /** Failures that another attempt may cure. */
    private static final Set<ErrorCode> RETRYABLE = EnumSet.of(ErrorCode.ENDPOINT_UNAVAILABLE, ErrorCode.RATE_LIMITED);

    /**
     * How often a key's token is renewed at most after a rejection (401/403/404 from the resource server), and how long a
     * token whose renewal failed is served before the renewal is tried again: unless configured otherwise.
     */
    public static final Duration DEFAULT_RENEWAL_WINDOW = Duration.ofSeconds(30);

    private final ConnectedSystemRepository systems;
    private final TokenStore store;
    private final GrantRegistry grants;
    private final TokenEndpointFactory endpoints;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EngineObserver observer;

    private final TokenCache<CachedToken> cache = new TokenCache<>(cached -> cached.token().expiresAt().toEpochMilli());
    private final ConcurrentHashMap<TokenKey, CompletableFuture<CachedToken>> inFlight = new ConcurrentHashMap<>();
    /** Systems whose provider asked to wait ({@code Retry-After}) longer than the retry budget: until when, and why. */
    private final ConcurrentHashMap<String, BackOff> backOffs = new ConcurrentHashMap<>();
    private final Duration renewalWindow;
    private final Invalidations invalidations;
    /**
     * Counts the invalidations this server heard: a flight that cached its token while one arrived takes that token out
     * again, since the invalidation may have been meant for it and removed the entry before it was put.
     */
    private final AtomicLong invalidated = new AtomicLong();

    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock) {
        this(systems, store, grants, endpoints, clock, Sleeper.THREAD);
    }

    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock, Sleeper sleeper) {
        this(systems, store, grants, endpoints, clock, sleeper, DEFAULT_RENEWAL_WINDOW);
    }

    /** @param renewalWindow see {@link #DEFAULT_RENEWAL_WINDOW} */
    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock, Sleeper sleeper, Duration renewalWindow) {
        this(systems, store, grants, endpoints, clock, sleeper, renewalWindow, EngineObserver.NONE);
    }

    /** With an {@code observer} that hears cache hits and token requests (metrics, traces). */
    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock, Sleeper sleeper, Duration renewalWindow,
            EngineObserver observer) {
        this(systems, store, grants, endpoints, clock, sleeper, renewalWindow, observer, Invalidations.local());
    }

    /**
     * With the {@code invalidations} every server sharing the store publishes to and hears: this service publishes its
     * discards, disables and disconnects there, and forgets the tokens every invalidation names.
     */
    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock, Sleeper sleeper, Duration renewalWindow,
            EngineObserver observer, Invalidations invalidations) {
        this.invalidations = Objects.requireNonNull(invalidations, "invalidations");
        this.renewalWindow = Objects.requireNonNull(renewalWindow, "renewalWindow");
        this.systems = Objects.requireNonNull(systems, "systems");
        this.store = Objects.requireNonNull(store, "store");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.observer = Objects.requireNonNull(observer, "observer");
        invalidations.subscribe(this::forget);
    }

    /** Forgets the tokens an invalidation names; memory only, so that it costs the notifying thread nothing. */
    private void forget(Invalidation invalidation) {
        invalidated.incrementAndGet();
        if (invalidation.isEverything()) {
            cache.clear();
        } else if (invalidation.onlySubject().isPresent()) {
            cache.remove(new TokenKey(invalidation.systemName(), invalidation.subject()));
        } else {
            cache.removeSystem(invalidation.systemName());
        }
    }

    /**
     * A valid access token of {@code system} for {@code subject}: the application for per-app systems, a user for
     * per-user ones. The caller has read the system; it is not read again here.
     *
     * @throws ConduitException {@code AUTHORIZATION_REQUIRED} (the user must open an authorization link),
     *                          {@code SYSTEM_DISABLED}, {@code WRONG_SUBJECT}, or the token endpoint's failure
     */
    public AccessToken accessToken(ConnectedSystem system, Subject subject) {
        CachedToken cached = cache.get(system.name(), subject); // no key object: the hit allocates nothing
        if (cached != null && clock.millis() < cached.refreshAtMillis()) {
            observer.cacheHit();
            return cached.token();
        }
        observer.cacheMiss();
        return obtainShared(system, new TokenKey(system.name(), subject), false);
    }

    /** When the application's stored token of a per-app system was obtained; empty when none is stored. */
    public Optional<Instant> lastIssued(String systemName) {
        return store.load(new TokenKey(systemName, Subject.application())).map(TokenSet::issuedAt);
    }

    /**
     * After the resource server rejected {@code rejected} (401, 403, 404): whether retrying the call with the key's
     * current token may help. It renews the token, making the next {@link #accessToken} fetch a new one, but at most once
     * per renewal window per key: a token younger than the window is not renewed, since a rejection right after a renewal
     * says the call is refused, not the token, and renewing per call would let any caller provoke a token request per
     * call. A token is never deleted here: a user keeps the refresh token, and one without it keeps the access token.
     *
     * @return true if the call may be retried: the token was renewed, or another call has already replaced it; false if
     *         the rejection stands as it is (the token is within its renewal window, or cannot be renewed)
     */
    public boolean invalidate(String systemName, Subject subject, AccessToken rejected) {
        TokenKey key = new TokenKey(systemName, subject);
        CachedToken cached = cache.get(systemName, subject);
        Duration window = systems.find(systemName).map(this::renewalWindow).orElse(renewalWindow);
        Instant windowStart = clock.instant().minus(window);
        if (cached != null && cached.token().value().equals(rejected.value())
                && cached.issuedAt().isAfter(windowStart)) {
            return false; // renewed less than a window ago: no store access, no token request
        }
        Boolean[] retry = {Boolean.FALSE};
        store.update(key, current -> {
            if (current.isEmpty() || !current.get().accessToken().equals(rejected.value())) {
                retry[0] = current.isPresent(); // another call renewed it meanwhile: retry with that one
                return current;
            }
            TokenSet used = current.get();
            if (used.issuedAt().isAfter(windowStart) || (subject.isUser() && used.refreshToken() == null)) {
                return current; // within the window, or a user's token with nothing to renew it with
            }
            retry[0] = Boolean.TRUE;
            // an expiry of "issued" makes the next call renew; a refresh token is kept, so the user refreshes
            return Optional.of(new TokenSet(used.accessToken(), used.tokenType(), used.issuedAt(), used.issuedAt(),
                    used.refreshToken(), used.scope()));
        });
        if (retry[0]) {
            cache.removeIf(key, c -> c.token().value().equals(rejected.value()));
        }
        return retry[0];
    }

    /**
     * Obtains a new application token now, ignoring the cache and an {@code ERROR} status; success puts the system
     * back to {@code OK}. This is the administrator's "test" of a per-app system.
     */
    public AccessToken test(ConnectedSystem system) {
        return obtainShared(system, new TokenKey(system.name(), Subject.application()), true);
    }

    /** Puts a system back to {@code OK} so that calls are attempted again. */
    public void enable(String systemName) {
        systems.setStatus(systemName, SystemStatus.ok(clock.instant()));
    }

    /** Stores tokens obtained elsewhere, e.g. by completing an authorization, and serves them from now on. */
    public void accept(ConnectedSystem system, Subject subject, TokenSet tokens) {
        requireMatchingSubject(system, grants.get(system.grantType()), subject);
        TokenKey key = new TokenKey(system.name(), subject);
        store.update(key, current -> Optional.of(tokens));
        cache.put(key, cacheEntry(system, tokens));
        cache.evictExpired(clock.millis());
    }

    /** The system's renewal window ({@code renewalWindowSeconds}), or the server's when the system sets none. */
    public Duration renewalWindow(ConnectedSystem system) {
        return system.lifecycle().renewalWindow().orElse(renewalWindow);
    }

    /**
     * Forgets and removes every token of a system (edited or deleted), on every server: a token request of the system
     * running meanwhile does not store its result.
     */
    public void discard(String systemName) {
        cache.removeSystem(systemName);
        store.removeAll(systemName);
        invalidations.publish(Invalidation.ofSystem(systemName));
    }

    /** Forgets and removes one subject's token, on every server. */
    public void discard(String systemName, Subject subject) {
        TokenKey key = new TokenKey(systemName, subject);
        cache.remove(key);
        store.remove(key);
        invalidations.publish(Invalidation.ofSubject(systemName, subject));
    }

    /**
     * Ends a subject's tokens on every server: takes the key exclusively (waiting for a refresh of it that is running,
     * on any server), hands what is stored then to {@code revoke}, and removes it. Holding the key is what makes the
     * revocation reach a token that a refresh stored a moment earlier, rather than leave it behind unrevoked.
     *
     * @param revoke asks the provider to revoke the stored tokens; runs while the key is held, and a failure of it
     *               does not keep the tokens from being removed
     */
    public void disconnect(String systemName, Subject subject, Consumer<TokenSet> revoke) {
        TokenKey key = new TokenKey(systemName, subject);
        try {
            store.update(key, current -> {
                current.ifPresent(tokens -> {
                    try {
                        revoke.accept(tokens);
                    } catch (RuntimeException e) {
                        String cause = e instanceof ConduitException ce ? ce.code().name() : e.getClass().getSimpleName();
                        LOG.log(Level.WARNING, () -> "revocation for " + key + " failed (" + cause
                                + "); the local tokens are deleted anyway");
                    }
                });
                return Optional.empty();
            });
        } finally {
            cache.remove(key);
            invalidations.publish(Invalidation.ofSubject(systemName, subject));
        }
    }

    // ---------------------------------------------------------------------------------------------- slow path

    private AccessToken obtainShared(ConnectedSystem system, TokenKey key, boolean forceNew) {
        CachedToken stale = forceNew ? null : cache.get(key.systemName(), key.subject());
        try {
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
                failIfBackingOff(system);
            }
            return obtainShared(system, grant, key, forceNew);
        } catch (ConduitException e) {
            if (stale == null || !servesStale(e.code()) || !clock.instant().isBefore(stale.token().expiresAt())) {
                throw e;
            }
            // stale-while-revalidate: the token in hand is still valid; try renewing it again after the window
            long retryAt = Math.min(clock.millis() + renewalWindow(system).toMillis(),
                    stale.token().expiresAt().toEpochMilli());
            cache.put(key, new CachedToken(stale.token(), retryAt, stale.issuedAt()));
            LOG.log(Level.FINE, () -> "renewing the token of " + key + " failed (" + e.code() + "); serving the current"
                    + " one until " + stale.token().expiresAt());
            return stale.token();
        }
    }

    private AccessToken obtainShared(ConnectedSystem system, Grant grant, TokenKey key, boolean forceNew) {
        Instant deadline = clock.instant().plus(system.lifecycle().retryPolicy().maxWait());
        while (true) {
            CompletableFuture<CachedToken> mine = new CompletableFuture<>();
            CompletableFuture<CachedToken> running = inFlight.putIfAbsent(key, mine);
            if (running != null) {
                CachedToken shared = await(running, deadline, system);
                if (!forceNew || shared.issuedAfter(deadline.minus(system.lifecycle().retryPolicy().maxWait()))) {
                    return shared.token();
                }
                continue; // a test must see a token requested after it began: join the next flight
            }
            try {
                long heardBefore = invalidated.get();
                CachedToken fresh = obtain(system, grant, key, forceNew, deadline);
                cache.put(key, fresh);
                if (invalidated.get() != heardBefore) {
                    // an invalidation arrived meanwhile and may have run before the put: do not keep what it forgot
                    cache.removeIf(key, cached -> cached == fresh);
                }
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

    /**
     * Failures after which a still-valid token is served: the provider's, the user's (an {@code invalid_grant} ends the
     * user's authorization at the token's expiry, not before) and Conduit's own. Not a refused client, which disables the
     * system, nor a request's mistake.
     */
    private static boolean servesStale(ErrorCode code) {
        return code.scope() == FailureScope.PROVIDER || code.scope() == FailureScope.USER
                || code.scope() == FailureScope.CONDUIT;
    }

    /** Fails fast, without a token request, while the system's provider has asked Conduit to wait. */
    private void failIfBackingOff(ConnectedSystem system) {
        BackOff backOff = backOffs.get(system.name());
        if (backOff == null) {
            return;
        }
        Duration left = Duration.between(clock.instant(), backOff.until());
        if (left.isNegative() || left.isZero()) {
            backOffs.remove(system.name(), backOff);
            return;
        }
        throw ConduitException.builder(backOff.code(), "the provider of '" + system.name() + "' asked to wait until "
                + backOff.until() + " (Retry-After); no token is requested before then").system(system.name())
                .retryAfter(left).build();
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
                    + system.name() + "' after " + system.lifecycle().retryPolicy().maxWait().toSeconds() + " s")
                    .system(system.name()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.ENDPOINT_UNAVAILABLE, "interrupted while waiting for a token");
        }
    }

    /** The retry loop: each attempt is one exclusive store update holding at most one token request. */
    private CachedToken obtain(ConnectedSystem system, Grant grant, TokenKey key, boolean forceNew, Instant deadline) {
        GrantRequest request = new GrantRequest(system, key.subject(), endpoints.forSystem(system), clock);
        int maxAttempts = system.lifecycle().retryPolicy().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            Attempt outcome = new Attempt(forceNew);
            try {
                Optional<TokenSet> result = store.update(key,
                        current -> outcome.applyUnlessSuperseded(current, system, grant, request));
                if (outcome.orphan != null) {
                    throw superseded(system, grant, request, outcome.orphan);
                }
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
                if (failure.code() == ErrorCode.INVALID_CLIENT) {
                    disable(system, failure, "at once: the provider refuses the client itself");
                    throw failure;
                }
                Duration wait = Backoff.after(attempt, failure.retryAfter().orElse(null));
                boolean retryable = RETRYABLE.contains(failure.code());
                if (retryable && failure.retryAfter().isPresent() && !clock.instant().plus(wait).isBefore(deadline)) {
                    // the provider asks for longer than the budget: respect it, without punishing the system for it
                    openBackOff(system, failure, clock.instant().plus(failure.retryAfter().get()));
                    throw failure;
                }
                boolean retry = retryable && attempt < maxAttempts && clock.instant().plus(wait).isBefore(deadline);
                if (!retry) {
                    // a user's refresh failure is that user's; only a per-app token that cannot be had is the system's
                    if (!outcome.refreshing) {
                        disable(system, failure, retryable
                                ? "after " + attempt + (attempt == 1 ? " attempt" : " attempts")
                                : "at once: the provider's answer cannot change by trying again");
                    }
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

    private void openBackOff(ConnectedSystem system, ConduitException failure, Instant until) {
        backOffs.merge(system.name(), new BackOff(until, failure.code()),
                (old, newer) -> newer.until().isAfter(old.until()) ? newer : old);
        LOG.info(() -> "connected system '" + system.name() + "': the provider asked to wait until " + until + " ("
                + failure.code() + "); calls fail fast until then, nothing is disabled");
    }

    /** A system's back-off: no token request before {@code until}; calls meanwhile fail with {@code code}. */
    private record BackOff(Instant until, ErrorCode code) {
    }

    /**
     * The system was deleted, or its credentials edited, while {@code orphan} was being obtained for the configuration
     * the caller read: the token is not kept (it may have been issued to the old client, scope or destination), it is
     * revoked where the provider can revoke, and the caller is told to call again.
     */
    private ConduitException superseded(ConnectedSystem system, Grant grant, GrantRequest request, TokenSet orphan) {
        cache.removeSystem(system.name());
        boolean revocable = system.endpoints().revocation().isPresent();
        if (revocable) {
            try {
                if (grant instanceof RevokingGrant revoking) {
                    revoking.revoke(request, orphan);
                } else {
                    request.tokenEndpoint().revoke(orphan.accessToken(), "access_token");
                }
            } catch (RuntimeException e) {
                String cause = e instanceof ConduitException ce ? ce.code().name() : e.getClass().getSimpleName();
                LOG.log(Level.WARNING, () -> "revoking the token of " + system.name() + " obtained for its previous"
                        + " configuration failed (" + cause + ")");
            }
        }
        return ConduitException.builder(ErrorCode.CONCURRENT_MODIFICATION, "connected system '" + system.name()
                + "' was changed or deleted while its token was being obtained: that token was not kept"
                + (revocable ? " and was revoked" : "") + "; call again to use the current configuration")
                .system(system.name()).build();
    }

    private void disable(ConnectedSystem system, ConduitException failure, String when) {
        String reason = failure.getMessage() + " (disabled " + when + ")";
        systems.setStatus(system.name(), SystemStatus.error(failure.code(), reason, clock.instant()));
        cache.removeSystem(system.name());
        invalidations.publish(Invalidation.ofSystem(system.name()));
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
        boolean refreshing;
        boolean invalidGrant;
        /** What the provider issued, when it issued something. */
        TokenSet obtained;
        /** A token obtained for a configuration that was deleted or edited meanwhile: not stored. */
        TokenSet orphan;

        Attempt(boolean forceNew) {
            this.forceNew = forceNew;
        }

        /**
         * {@link #apply}, then the generation check, still holding the key: a token obtained while the system was
         * deleted or its credentials edited (on any server) is not stored; the key is emptied instead, as the edit
         * discarded its tokens anyway.
         */
        Optional<TokenSet> applyUnlessSuperseded(Optional<TokenSet> current, ConnectedSystem system, Grant grant,
                GrantRequest request) {
            Optional<TokenSet> next = apply(current, system, grant, request);
            if (obtained != null) {
                Optional<ConnectedSystem> now = systems.findCurrent(system.name());
                if (now.isEmpty() || now.get().credentialsDifferFrom(system)) {
                    orphan = obtained;
                    return Optional.empty();
                }
            }
            return next;
        }

        Optional<TokenSet> apply(Optional<TokenSet> current, ConnectedSystem system, Grant grant, GrantRequest request) {
            if (!forceNew && current.isPresent() && isFresh(system, current.get())) {
                return current; // another caller or node refreshed while we waited for the key
            }
            Optional<dev.conduit.api.Secret> refreshToken = current.flatMap(TokenSet::refreshTokenIfAny);
            requested = true;
            if (refreshToken.isPresent() && grant instanceof RefreshingGrant refresher) {
                refreshing = true;
                try {
                    obtained = GrantedTokens.refreshed(observed(system, TokenRequestKind.REFRESH,
                            () -> refresher.refresh(request, refreshToken.get())), current.get());
                    return Optional.of(obtained);
                } catch (ConduitException e) {
                    if (e.code() != ErrorCode.INVALID_GRANT) {
                        throw e;
                    }
                    invalidGrant = true;
                    TokenSet ended = current.get();
                    if (!clock.instant().isBefore(ended.expiresAt())) {
                        return Optional.empty(); // delete the user's tokens in the same transaction
                    }
                    // the authorization ended, but the access token stays valid until it expires: keep only that
                    return Optional.of(new TokenSet(ended.accessToken(), ended.tokenType(), ended.issuedAt(),
                            ended.expiresAt(), null, ended.scope()));
                }
            }
            if (grant instanceof InteractiveGrant || !(grant instanceof AcquiringGrant acquiring)) {
                requested = false;
                if (current.isPresent() && clock.instant().isBefore(current.get().expiresAt())) {
                    return current; // nothing to refresh with, but still valid: used until it expires
                }
                return Optional.empty(); // nothing to refresh with: only the user can authorize
            }
            obtained = observed(system, TokenRequestKind.ACQUIRE, () -> acquiring.acquire(request));
            return Optional.of(obtained);
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
        if (system.lifecycle().refreshAhead().compareTo(lead) < 0) {
            lead = system.lifecycle().refreshAhead();
        }
        return tokens.expiresAt().minus(lead);
    }

    private CachedToken cacheEntry(ConnectedSystem system, TokenSet tokens) {
        AccessToken token = new AccessToken(tokens.accessToken(), tokens.tokenType(), tokens.expiresAt(),
                tokens.scope());
        // a user's token without a refresh token cannot be renewed ahead: it is used until it expires
        boolean renewable = tokens.refreshToken() != null
                || grants.get(system.grantType()).tokenScope() == TokenScope.PER_APP;
        Instant renewAt = renewable ? refreshAt(system, tokens) : tokens.expiresAt();
        return new CachedToken(token, renewAt.toEpochMilli(), tokens.issuedAt());
    }

    /** What the hot path reads: the token and the instant (epoch millis) from which it must be refreshed. */
    private record CachedToken(AccessToken token, long refreshAtMillis, Instant issuedAt) {
        boolean issuedAfter(Instant instant) {
            return !issuedAt.isBefore(instant);
        }
    }
}
