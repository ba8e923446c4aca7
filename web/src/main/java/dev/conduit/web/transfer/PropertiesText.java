package dev.conduit.web.transfer;

/**
 * Writes keys and values in {@link java.util.Properties} syntax, so that {@code Properties.load} reads back exactly
 * what was written: spaces, {@code = : # !} and backslashes in keys escaped, line breaks in values escaped.
 */
final class PropertiesText {

    private PropertiesText() {
    }

    static String key(String key) {
        return escape(key, true);
    }

    static String value(String value) {
        return escape(value, false);
    }

    private static String escape(String text, boolean isKey) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ' -> out.append(i == 0 || isKey ? "\\ " : " ");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '=', ':', '#', '!' -> out.append(isKey || i == 0 ? "\\" + c : String.valueOf(c));
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
