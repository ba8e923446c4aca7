package dev.conduit.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * Checks a user name and password against the server's user registry (server.xml's {@code basicRegistry}, or the
 * LDAP registry that replaces it) through Liberty's JAAS login {@code WSLogin}: Jakarta Security's identity store
 * handler does not consult that registry, and this keeps the registry the one place users are defined.
 */
@ApplicationScoped
public class RegistryLogin {

    /**
     * A user the registry knows: the name, and the access ids of their groups ({@code group:<realm>/<name>}), which is
     * how Liberty matches the groups that server.xml binds the roles to.
     */
    public record Caller(String name, Set<String> groups) {
    }

    /** The caller, or empty when the user is unknown or the password wrong. */
    public Optional<Caller> validate(String user, String password) {
        char[] secret = password.toCharArray();
        try {
            LoginContext login = new LoginContext("WSLogin", callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback pass) {
                        pass.setPassword(secret);
                    }
                    // Liberty offers further callbacks (realm, token, certificate): left empty
                }
            });
            login.login();
            return Optional.of(new Caller(user, groups(login.getSubject())));
        } catch (LoginException e) {
            return Optional.empty();
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
    }

    /**
     * The group access ids of the subject's registry credential ({@code WSCredential.getGroupIds()}, such as
     * {@code group:Conduit/conduit-admins}); read reflectively so the WAR needs no Liberty API jar.
     */
    static Set<String> groups(Subject subject) {
        Set<String> groups = new LinkedHashSet<>();
        for (Object credential : subject.getPublicCredentials()) {
            try {
                Method method = credential.getClass().getMethod("getGroupIds");
                if (method.invoke(credential) instanceof List<?> ids) {
                    for (Object id : ids) {
                        groups.add(String.valueOf(id));
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not the registry credential
            }
        }
        return groups;
    }
}

