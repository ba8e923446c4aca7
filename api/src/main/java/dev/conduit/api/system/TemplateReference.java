package dev.conduit.api.system;

import dev.conduit.api.ConduitException;
import java.util.regex.Pattern;

/**
 * The provider template a connected system was created from, and its version then: kept so an administrator knows
 * where the configuration came from and whether the template has changed since. It decides nothing at run time.
 *
 * @param id      the template's id, e.g. {@code keycloak}
 * @param version the template's version when the system was created
 */
public record TemplateReference(String id, int version) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");

    public TemplateReference {
        if (id == null || !ID.matcher(id).matches()) {
            throw ConduitException.invalidField("template.id",
                    "must be a template id: lower-case letters, digits and '-', e.g. keycloak");
        }
        if (version < 1) {
            throw ConduitException.invalidField("template.version", "must be 1 or more, was " + version);
        }
    }
}
