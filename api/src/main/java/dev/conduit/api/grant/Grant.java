package dev.conduit.api.grant;

import dev.conduit.api.system.TokenScope;

/**
 * Names a grant type and whose tokens it issues. What the grant can do is the roles it implements besides:
 * {@link AcquiringGrant}, {@link RefreshingGrant}, {@link InteractiveGrant}, {@link RevokingGrant},
 * {@link ValidatingGrant}. A grant never caches and never stores. Found through {@link java.util.ServiceLoader}: a jar
 * adds a line with its class name to {@code META-INF/services/dev.conduit.api.grant.Grant}.
 */
public interface Grant {

    /** The grant type this provides, as configured on systems, e.g. {@code client_credentials}. Unique. */
    String type();

    /** Whether tokens of this grant belong to the application or to one user. */
    TokenScope tokenScope();
}
