package dev.conduit.web.audit;

import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.core.audit.AuditRecorder;
import dev.conduit.core.audit.RateLimitedRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Records refused logins in the audit trail and the server log, at most {@value #PER_MINUTE} a minute: enough to see an
 * attack and who it aims at, too few for a flood of guesses to fill the table or the log. Only the user name tried is
 * kept; the password part of the credentials is never decoded into a string.
 */
public final class FailedLogins {

    /** Refused logins recorded per minute; the rest are counted into the next record's {@code suppressed}. */
    public static final int PER_MINUTE = 20;

    private static final Logger LOG = Logger.getLogger(FailedLogins.class.getName());

    private final RateLimitedRecorder recorder;
    private final Clock clock;

    public FailedLogins(AuditRecorder audit, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recorder = new RateLimitedRecorder(event -> {
            LOG.warning(() -> "Login refused for user '" + event.actor() + "' from " + event.details().get("from")
                    + (event.details().containsKey("suppressed")
                            ? " (" + event.details().get("suppressed") + " more refused logins not logged before this)"
                            : ""));
            audit.record(event);
        }, PER_MINUTE, Duration.ofMinutes(1), clock);
    }

    /**
     * Records a refused login when the request carried credentials (a request without any is just a challenge).
     *
     * @param authorization the request's {@code Authorization} header, or {@code null}
     * @param remoteAddress where the request came from
     * @return whether a record was written (false: no credentials, or over the rate limit)
     */
    public boolean refused(String authorization, String remoteAddress) {
        if (authorization == null || authorization.isBlank()) {
            return false;
        }
        return refusedUser(userName(authorization), scheme(authorization), remoteAddress);
    }

    /**
     * Records a refused sign-in of the user name given, e.g. from the console's password form ({@code scheme}
     * {@code form}); the password is never passed here.
     */
    public boolean refusedUser(String userName, String scheme, String remoteAddress) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("from", remoteAddress == null ? "unknown" : remoteAddress);
        details.put("scheme", scheme);
        return recorder.tryRecord(new AuditEvent(clock.instant(), userName, AuditAction.LOGIN_FAILED,
                null, AuditOutcome.FAILURE, details));
    }

    /** The user name of Basic credentials: the bytes before the first colon; never anything after it. */
    static String userName(String authorization) {
        String value = authorization.strip();
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "(not Basic credentials)";
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return "(unreadable credentials)";
        }
        int colon = 0;
        while (colon < decoded.length && decoded[colon] != ':') {
            colon++;
        }
        if (colon == decoded.length) {
            // no colon: the value is not user:password, and could be a password pasted alone
            java.util.Arrays.fill(decoded, (byte) 0);
            return "(unreadable credentials)";
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        java.util.Arrays.fill(decoded, (byte) 0);
        return user.isBlank() ? "(empty user name)" : user;
    }

    private static String scheme(String authorization) {
        int space = authorization.strip().indexOf(' ');
        String scheme = space < 0 ? authorization.strip() : authorization.strip().substring(0, space);
        return scheme.length() > 20 ? "(unknown)" : scheme.toLowerCase(Locale.ROOT);
    }
}
