package dev.conduit.web.security;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.annotation.WebListener;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The console's session cookie: {@code HttpOnly} (no script reads it), {@code SameSite=Lax} (another site's pages
 * cannot make the browser send it with their requests, except top-level GET navigations), and {@code Secure} when
 * Conduit's public URL ({@code conduit.public-url}) is https, so that it never travels in clear.
 */
@WebListener
public class SessionCookies implements ServletContextListener {

    public static final String NAME = "CONDUIT_SESSION";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        SessionCookieConfig cookie = event.getServletContext().getSessionCookieConfig();
        cookie.setName(NAME);
        cookie.setHttpOnly(true);
        cookie.setPath("/");
        cookie.setAttribute("SameSite", "Lax");
        boolean https = ConfigProvider.getConfig().getOptionalValue("conduit.public-url", String.class)
                .map(url -> url.strip().regionMatches(true, 0, "https://", 0, 8)).orElse(false);
        cookie.setSecure(https);
    }
}
