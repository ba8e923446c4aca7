package dev.conduit.web;

/** The application's security roles, mapped to groups in server.xml. */
public final class Roles {

    /** Configures connected systems, imports and exports them. */
    public static final String ADMIN = "conduit-admin";

    /** Authorizes systems for themselves and makes integration calls. */
    public static final String USER = "conduit-user";

    private Roles() {
    }
}
