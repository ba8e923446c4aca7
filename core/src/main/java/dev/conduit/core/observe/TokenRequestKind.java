package dev.conduit.core.observe;

/** Why a token endpoint is asked: for a first token (or a new one), or to refresh with a refresh token. */
public enum TokenRequestKind {
    ACQUIRE, REFRESH;

    /** The label value: {@code acquire} or {@code refresh}. */
    public String label() {
        return this == ACQUIRE ? "acquire" : "refresh";
    }
}
