package dev.conduit.api.system;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the {@code ${name}} references in a template, so unknown names are refused when a system is saved. */
public final class Templates {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

    private Templates() {
    }

    /** The variable names a template refers to, in order of appearance. */
    public static Set<String> references(String template) {
        Set<String> names = new LinkedHashSet<>();
        if (template != null) {
            Matcher m = REFERENCE.matcher(template);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * Replaces each reference with a harmless sample ({@code x}), to check the shape of a templated URL before real
     * values are known.
     */
    static String sample(String template) {
        return REFERENCE.matcher(template).replaceAll("x");
    }
}
