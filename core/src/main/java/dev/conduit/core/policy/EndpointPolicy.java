package dev.conduit.core.policy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import dev.conduit.core.template.TemplateRenderer;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which URLs an administrator may configure, so that Conduit cannot be pointed at its own network: {@code https}
 * only (plain {@code http} only for loopback, and only when {@code allowLoopbackHttp}), no user information, and no
 * private (RFC 1918, RFC 6598, fc00::/7), link-local (169.254/16, fe80::/10), loopback, unspecified or cloud metadata
 * address unless the host is allow-listed. {@code allowLoopbackHttp} allows exactly plain http to loopback: an
 * {@code https} URL never reaches loopback or a private range through it, so a name that an attacker makes resolve to
 * 127.0.0.1 cannot reach a local https service. Enforced when a system is saved ({@link #checkSystem}) and again,
 * with a fresh name resolution, right before every outbound request ({@link #check}: token, revocation, discovery,
 * integration calls; {@link #checkTokenDestination} for every request that carries a token), because a name can
 * resolve elsewhere later. Last, when a connection opens, its host is resolved once more and the connection goes to
 * exactly an address checked then ({@link #egress()}): a DNS answer that changes between the check before a request
 * and its connection (DNS rebinding) is caught too.
 *
 * <p>A host that does not resolve is accepted: a provider's DNS may be down while a system is saved, and the request
 * itself then fails with {@code ENDPOINT_UNAVAILABLE}. Allow-list exact hosts and keep token endpoints on names the
 * organisation trusts.
 *
 * @see <a href="https://owasp.org/www-community/attacks/Server_Side_Request_Forgery">OWASP: SSRF</a>
 */
public final class EndpointPolicy implements AutoCloseable {

    /** Names that reach a cloud provider's instance metadata service. */
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal");

    /** AWS, GCP, Azure, OCI (169.254.169.254), AWS IPv6 (fd00:ec2::254), Alibaba (100.100.100.200). */
    private static final Set<InetAddress> METADATA_ADDRESSES =
            Set.of(literal("169.254.169.254"), literal("fd00:ec2::254"), literal("100.100.100.200"));

    private final boolean allowLoopbackHttp;
    private final Set<String> allowedHosts;
    private final HostResolver resolver;
    private volatile Egress egress;

    /**
     * @param allowLoopbackHttp whether {@code http://} and loopback addresses are accepted (development, tests)
     * @param allowedHosts      hosts (names or literal addresses, compared case-insensitively) accepted even when they
     *                          resolve to private, link-local, loopback or metadata addresses; still https only
     * @param resolver          how host names are resolved
     */
    public EndpointPolicy(boolean allowLoopbackHttp, Collection<String> allowedHosts, HostResolver resolver) {
        this.allowLoopbackHttp = allowLoopbackHttp;
        TreeSet<String> hosts = new TreeSet<>();
        for (String host : Objects.requireNonNull(allowedHosts, "allowedHosts")) {
            if (host != null && !host.isBlank()) {
                hosts.add(normalizeHost(host.strip()));
            }
        }
        this.allowedHosts = Set.copyOf(hosts);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Also accepts plain http on loopback: for development and tests. */
    public static EndpointPolicy allowingLoopback(Collection<String> allowedHosts) {
        return new EndpointPolicy(true, allowedHosts, HostResolver.SYSTEM);
    }

    /**
     * Where the connections of HTTP clients that follow this policy go ({@code HttpClient.Builder.proxy}): only to an
     * address this policy checked when the connection opened. One per policy, made on first use.
     */
    public Egress egress() {
        Egress current = egress;
        if (current == null) {
            synchronized (this) {
                current = egress;
                if (current == null) {
                    current = new Egress(this);
                    egress = current;
                }
            }
        }
        return current;
    }

    /** Stops this policy's egress tunnel, if it was ever used: when the application stops. */
    @Override
    public void close() {
        Egress current = egress;
        if (current != null) {
            current.close();
        }
    }

    public boolean allowLoopbackHttp() {
        return allowLoopbackHttp;
    }

    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /**
     * Checks one URL.
     *
     * @param field the configuration field it came from, named in the error
     * @throws ConduitException {@code ENDPOINT_NOT_ALLOWED} naming {@code field}
     */
    public void check(String field, URI url) {
        Objects.requireNonNull(field, "field");
        checkedAddresses(field, url);
    }

    /**
     * The addresses a connection to {@code url} may open now: its host resolved once, and every answer checked as
     * {@link #check} does. The caller connects to one of exactly these addresses, so that the answer checked is the
     * answer used ({@link Egress}). Empty when an https host does not resolve: the connection then fails as unreachable.
     *
     * @throws ConduitException {@code ENDPOINT_NOT_ALLOWED} when the answer is not allowed
     */
    InetAddress[] connectionAddresses(URI url) {
        InetAddress[] addresses = checkedAddresses(null, url);
        return addresses == null ? new InetAddress[0] : addresses;
    }

    /**
     * Checks one URL and returns the addresses its host resolved to, or {@code null} for an https host that does not
     * resolve (accepted: see the class comment).
     *
     * @param field the configuration field the URL came from, or {@code null} for a connection being opened
     */
    private InetAddress[] checkedAddresses(String field, URI url) {
        if (url == null) {
            throw refused(field, "is missing");
        }
        // a connection being opened is named by its host: no field is at fault, the name's DNS answer changed
        boolean isField = field != null;
        String label = isField ? field : "connection to " + url.getHost() + " (checked as it opened)";
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw refused(label, isField,
                    "must be an https URL, not " + (scheme.isEmpty() ? "a relative one" : scheme + ":"));
        }
        if (url.getRawUserInfo() != null || url.getRawAuthority() != null && url.getRawAuthority().contains("@")) {
            throw refused(label, isField, "must not carry user information (user:password@)");
        }
        String rawHost = url.getHost();
        if (rawHost == null || rawHost.isEmpty()) {
            throw refused(label, isField, "must name a host");
        }
        String host = normalizeHost(rawHost);
        boolean allowListed = allowedHosts.contains(host);
        if (METADATA_HOSTS.contains(host) && !allowListed) {
            throw refused(label, isField, "must not point at a cloud metadata service (" + host + ")");
        }
        InetAddress[] addresses = resolve(host);
        if (scheme.equals("http")) {
            if (!allowLoopbackHttp) {
                throw refused(label, isField,
                        "must use https (plain http is allowed only on loopback, when configured)");
            }
            if (addresses == null || addresses.length == 0 || !allLoopback(addresses)) {
                throw refused(label, isField, "must use https: plain http is allowed only on a loopback host, and "
                        + host + " is not one" + (addresses == null || addresses.length == 0 ? " (it does not resolve)"
                        : " (it resolves to " + firstNotLoopback(addresses).getHostAddress() + ")"));
            }
            return addresses;
        }
        if (allowListed || addresses == null) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            String reason = forbiddenReason(address);
            if (reason != null) {
                throw refused(label, isField, "resolves to " + reason + " (" + address.getHostAddress() + "); allow-list "
                        + host + " if this is intended");
            }
        }
        return addresses;
    }

    /** Parses and checks one URL given as text. */
    public void check(String field, String url) {
        if (url == null) {
            throw refused(field, "is missing");
        }
        try {
            check(field, new URI(url));
        } catch (java.net.URISyntaxException e) {
            throw refused(field, "is not a valid URL");
        }
    }

    /**
     * Checks every URL of a system (each {@code url} field of {@link SystemFields}: endpoints, issuer, integration base
     * URL), templates rendered with its variables.
     */
    public void checkSystem(ConnectedSystem system) {
        TemplateRenderer renderer = TemplateRenderer.of(system);
        for (SystemField field : SystemFields.urls()) {
            Object url = field.get(system);
            if (url != null) {
                check(field.name(), renderer.renderUrl(field.name(), (String) url));
            }
        }
    }

    /**
     * Checks a request that carries a system's token, right before it leaves: the URL is under the system's integration
     * base URL ({@link TokenDestination}) and its host resolves now to an address this policy allows.
     *
     * @throws ConduitException {@code ENDPOINT_NOT_ALLOWED} naming {@code integrationBaseUrl}
     */
    public void checkTokenDestination(ConnectedSystem system, URI target) {
        TokenDestination.requireUnderIntegrationBase(system, target);
        check("integrationBaseUrl", target);
    }

    /** Why an address is refused, or {@code null} when it is a public one. */
    private String forbiddenReason(InetAddress address) {
        InetAddress a = unwrapIpv4(address);
        if (isMetadata(a)) {
            return "a cloud metadata address";
        }
        if (a.isLoopbackAddress()) {
            // allowLoopbackHttp is about plain http alone: https to loopback needs the host allow-listed
            return "a loopback address";
        }
        if (a.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (a.isSiteLocalAddress() || isUniqueLocal(a) || isSharedAddressSpace(a) || isThisNetwork(a)) {
            return "a private address";
        }
        if (a.isMulticastAddress()) {
            return "a multicast address";
        }
        return null;
    }

    private static boolean allLoopback(InetAddress[] addresses) {
        return firstNotLoopback(addresses) == null;
    }

    private static InetAddress firstNotLoopback(InetAddress[] addresses) {
        for (InetAddress address : addresses) {
            if (!unwrapIpv4(address).isLoopbackAddress()) {
                return address;
            }
        }
        return null;
    }

    /** The addresses of a host, or {@code null} when it does not resolve (see the class comment). */
    private InetAddress[] resolve(String host) {
        try {
            return resolver.resolve(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An IPv4 address embedded in IPv6 (::a.b.c.d, ::ffff:a.b.c.d) is judged as the IPv4 address. */
    private static InetAddress unwrapIpv4(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= b[i] == 0;
            }
            boolean mapped = zeroPrefix && (b[10] == (byte) 0xFF && b[11] == (byte) 0xFF || b[10] == 0 && b[11] == 0);
            boolean loopbackOrAny = zeroPrefix && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0;
            if (mapped && !loopbackOrAny) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    private static boolean isMetadata(InetAddress a) {
        return METADATA_ADDRESSES.contains(a);
    }

    /** fc00::/7, RFC 4193. */
    private static boolean isUniqueLocal(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xFE) == 0xFC;
    }

    /** 100.64.0.0/10, RFC 6598 carrier-grade NAT. */
    private static boolean isSharedAddressSpace(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet4Address && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
    }

    /** 0.0.0.0/8, RFC 1122 "this network". */
    private static boolean isThisNetwork(InetAddress a) {
        return a instanceof Inet4Address && a.getAddress()[0] == 0;
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalizeHost(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        try {
            h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            // not a valid IDN: compared as given
        }
        h = h.toLowerCase(Locale.ROOT);
        if (h.indexOf(':') >= 0) {
            // an IPv6 literal has many spellings: compare the canonical one
            try {
                return InetAddress.getByName(h).getHostAddress();
            } catch (UnknownHostException e) {
                return h;
            }
        }
        return h;
    }

    private static ConduitException refused(String field, String reason) {
        return refused(field, true, reason);
    }

    /** A refusal naming {@code label}: the configuration field at fault when {@code isField}, else a connection. */
    private static ConduitException refused(String label, boolean isField, String reason) {
        ConduitException.Builder refusal =
                ConduitException.builder(ErrorCode.ENDPOINT_NOT_ALLOWED, label + ": " + reason);
        return (isField ? refusal.field(label) : refusal).build();
    }

    @Override
    public String toString() {
        return "EndpointPolicy[allowLoopbackHttp=" + allowLoopbackHttp + ", allowedHosts=" + allowedHosts + "]";
    }
}
