package dev.conduit.it.conduit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * MicroProfile Config of the running test server, changed while it runs: a file of server.xml variables in
 * {@code configDropins/overrides}, which Liberty reads again within a second and hands to MicroProfile Config. This is
 * how an operator declares connected systems per environment, and how a test points them at this run's Keycloak, whose
 * port is only known at run time.
 */
public final class ServerConfiguration {

    private final Path file;

    private ServerConfiguration(Path file) {
        this.file = file;
    }

    /** A dropin of this name in the test server's {@code configDropins/overrides}. */
    public static ServerConfiguration dropin(String fileName) {
        String serverDir = System.getProperty("it.server.dir");
        if (serverDir == null) {
            throw new IllegalStateException("it.server.dir is not set (the it module's failsafe configuration sets it)");
        }
        return new ServerConfiguration(Path.of(serverDir, "configDropins", "overrides", fileName));
    }

    /**
     * Writes the variables, replacing what the file held. {@code defaultValue}, not {@code value}: Liberty ranks
     * {@code value} variables above environment variables, which must be able to override them.
     */
    public void write(Map<String, String> variables) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server>\n");
        variables.forEach((name, value) -> xml.append("  <variable name=\"").append(escape(name))
                .append("\" defaultValue=\"").append(escape(value)).append("\"/>\n"));
        xml.append("</server>\n");
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, xml, StandardCharsets.UTF_8);
            // moved into place whole, so that Liberty never reads half a file
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the file; Liberty drops its variables. */
    public void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
