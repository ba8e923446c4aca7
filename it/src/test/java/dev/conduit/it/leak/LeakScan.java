package dev.conduit.it.leak;

import dev.conduit.it.keycloak.RealmClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Searches log files for the secrets, private keys and tokens the end-to-end tests use: every client secret and
 * password of the test realm, the private_key_jwt key, Conduit's login passwords, and any JSON Web Token (Keycloak's
 * access, refresh and ID tokens are all JWTs, so a token obtained while testing is found without the test knowing it).
 * A hit names the file, the line and which secret, never the value.
 */
public final class LeakScan {

    /** A JWT: base64url header and payload of a JSON object ({@code eyJ} is {@code {"}), then a signature part. */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");

    /** One secret found: where, and the name of what was found. */
    public record Hit(Path file, int line, String what) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + what;
        }
    }

    private final Map<String, String> secrets;

    /** @param secrets the values to find, by the name a hit reports */
    public LeakScan(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /**
     * The secrets of the end-to-end tests: the test realm's secrets and passwords ({@link RealmClients}' constants
     * named {@code *_SECRET} and {@code *_PASSWORD}), each base64 line of the private_key_jwt key, and the login
     * passwords given to the test server.
     */
    public static Map<String, String> endToEndSecrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Field field : RealmClients.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && (field.getName().endsWith("_SECRET") || field.getName().endsWith("_PASSWORD"))) {
                try {
                    secrets.put("RealmClients." + field.getName(), (String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        try (InputStream key = Objects.requireNonNull(LeakScan.class.getResourceAsStream(RealmClients.JWT_KEY_RESOURCE),
                RealmClients.JWT_KEY_RESOURCE)) {
            List<String> lines = new String(key.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.startsWith("-----") && l.length() >= 40).toList();
            for (int i = 0; i < lines.size(); i++) {
                secrets.put("the private_key_jwt key (line " + (i + 2) + ")", lines.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String user : List.of("admin", "alice", "bob", "operator")) {
            String password = System.getProperty("conduit." + user + ".password");
            if (password != null && !password.isBlank()) {
                secrets.put("the Conduit password of " + user, password);
            }
        }
        return secrets;
    }

    /** Every hit in {@code file}, line by line; a file that is not text is read as ISO-8859-1 (every byte a char). */
    public List<Hit> scan(Path file) {
        List<Hit> hits = new ArrayList<>();
        List<String> lines;
        try {
            lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            for (Map.Entry<String, String> secret : secrets.entrySet()) {
                if (line.contains(secret.getValue())) {
                    hits.add(new Hit(file, i + 1, secret.getKey()));
                }
            }
            if (JWT.matcher(line).find()) {
                hits.add(new Hit(file, i + 1, "a JSON Web Token"));
            }
        }
        return hits;
    }

    /** Every regular file under {@code directory} (none when it does not exist), in a stable order. */
    public static List<Path> filesUnder(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
