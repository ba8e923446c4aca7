package dev.conduit.core.schema;

/** The groups a connected system's fields come in, in the order a form shows them. */
public enum FieldGroup {
    SYSTEM("system", "System"),
    ENDPOINTS("endpoints", "Endpoints"),
    CLIENT("client", "Client authentication"),
    TOKEN_REQUEST("tokenRequest", "Token request"),
    LIFECYCLE("lifecycle", "Token lifecycle"),
    INTEGRATION("integration", "Integration"),
    VARIABLES("variables", "Variables");

    private final String jsonName;
    private final String label;

    FieldGroup(String jsonName, String label) {
        this.jsonName = jsonName;
        this.label = label;
    }

    /** The group's name in the schema document, e.g. {@code tokenRequest}. */
    public String jsonName() {
        return jsonName;
    }

    /** What a form titles the group with. */
    public String label() {
        return label;
    }
}
