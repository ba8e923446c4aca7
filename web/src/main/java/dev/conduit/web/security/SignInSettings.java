package dev.conduit.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The console's sign-in settings (MicroProfile Config):
 * <ul>
 *   <li>{@code conduit.signin.password}: offer the password form against the server's user registry (default
 *       {@code true}; turn it off when people sign in through the identity provider only);</li>
 *   <li>{@code conduit.signin.session-minutes}: idle time after which a console session ends (default 30);</li>
 *   <li>{@code conduit.signin.oidc.*}: OpenID Connect sign-in, see {@link OidcSettings}.</li>
 * </ul>
 */
@ApplicationScoped
public class SignInSettings {

    // read at each use, like the rest of Conduit's configuration: a changed setting applies without a restart
    private final Config config;

    public SignInSettings() {
        this(ConfigProvider.getConfig());
    }

    SignInSettings(Config config) {
        this.config = config;
    }

    public boolean passwordSignIn() {
        return config.getOptionalValue("conduit.signin.password", Boolean.class).orElse(true);
    }

    public Optional<OidcSettings> oidc() {
        return OidcSettings.from(config);
    }

    private int sessionMinutes() {
        return config.getOptionalValue("conduit.signin.session-minutes", Integer.class).orElse(30);
    }

    /**
     * Starts a new session for {@code caller}: any session the browser had is ended first, so that an identifier
     * planted before the sign-in never becomes a signed-in one (session fixation).
     */
    public void startSession(HttpServletRequest request, SignedInCaller caller) {
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        HttpSession session = request.getSession(true);
        session.setMaxInactiveInterval(sessionMinutes() * 60);
        session.setAttribute(SignedInCaller.SESSION_ATTRIBUTE, caller);
    }
}
