package dev.conduit.api.system;

/** How the token request body is encoded; standard OAuth is form, some providers want JSON. */
public enum BodyFormat {
    FORM,
    JSON
}
