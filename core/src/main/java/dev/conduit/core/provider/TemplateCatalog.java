package dev.conduit.core.provider;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The provider templates a server offers: the catalog built into core, then the organisation's own files from a
 * configured folder (one {@code *.json} file each), which add templates or replace a built-in one of the same id, so
 * the catalog grows without a release. A broken file is kept as a {@link TemplateProblem} naming the file and the
 * field; every other template still loads.
 */
public final class TemplateCatalog {

    /** Where the built-in templates are, on the class path. */
    public static final String BUILT_IN = "dev/conduit/core/provider/catalog/";
    /** The built-in template files, one name a line: a class path cannot be listed reliably inside a WAR. */
    public static final String BUILT_IN_INDEX = BUILT_IN + "index.txt";

    private final Map<String, ProviderTemplate> templates;
    private final List<TemplateProblem> problems;

    private TemplateCatalog(Map<String, ProviderTemplate> templates, List<TemplateProblem> problems) {
        this.templates = Map.copyOf(templates);
        this.problems = List.copyOf(problems);
    }

    /** The built-in catalog alone. */
    public static TemplateCatalog builtIn() {
        return load(Optional.empty());
    }

    /**
     * The built-in catalog plus the templates in {@code folder}.
     *
     * @param folder the organisation's template folder; a folder that does not exist is a problem, not a failure
     */
    public static TemplateCatalog load(Optional<Path> folder) {
        Map<String, ProviderTemplate> templates = new TreeMap<>();
        List<TemplateProblem> problems = new ArrayList<>();
        ClassLoader loader = TemplateCatalog.class.getClassLoader();
        for (String file : builtInFiles(loader)) {
            String origin = "classpath:" + BUILT_IN + file;
            try (InputStream in = loader.getResourceAsStream(BUILT_IN + file)) {
                if (in == null) {
                    problems.add(new TemplateProblem(origin, "(document)", "is listed in " + BUILT_IN_INDEX
                            + " but missing"));
                    continue;
                }
                add(in.readAllBytes(), origin, templates, problems, false);
            } catch (IOException e) {
                problems.add(new TemplateProblem(origin, "(document)", "could not be read: " + e.getMessage()));
            }
        }
        folder.ifPresent(dir -> loadFolder(dir, templates, problems));
        return new TemplateCatalog(templates, problems);
    }

    /** Every template, by id. */
    public List<ProviderTemplate> all() {
        return List.copyOf(templates.values());
    }

    public Optional<ProviderTemplate> find(String id) {
        return Optional.ofNullable(id == null ? null : templates.get(id));
    }

    /**
     * The template, or {@code UNKNOWN_TEMPLATE} naming {@code template}.
     */
    public ProviderTemplate get(String id) {
        return find(id).orElseThrow(() -> ConduitException.builder(ErrorCode.UNKNOWN_TEMPLATE,
                "template: there is no provider template '" + id + "' (this server has: "
                        + String.join(", ", templates.keySet()) + ")").field("template").build());
    }

    /** The files that could not be loaded, each with the field at fault. */
    public List<TemplateProblem> problems() {
        return problems;
    }

    private static void loadFolder(Path dir, Map<String, ProviderTemplate> templates, List<TemplateProblem> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add(new TemplateProblem(dir.toString(), "(folder)", "is not a folder this server can read"));
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            problems.add(new TemplateProblem(dir.toString(), "(folder)", "could not be listed: " + e.getMessage()));
            return;
        }
        files.sort(null);
        List<String> seen = new ArrayList<>();
        for (Path file : files) {
            try {
                ProviderTemplate template = add(Files.readAllBytes(file), file.toString(), templates, problems, true);
                if (template != null) {
                    if (seen.contains(template.id())) {
                        problems.add(new TemplateProblem(file.toString(), "id", "'" + template.id()
                                + "' is also the id of another file in " + dir + "; this file wins, by name order"));
                    }
                    seen.add(template.id());
                }
            } catch (IOException e) {
                problems.add(new TemplateProblem(file.toString(), "(document)", "could not be read: " + e.getMessage()));
            }
        }
    }

    private static ProviderTemplate add(byte[] document, String origin, Map<String, ProviderTemplate> templates,
            List<TemplateProblem> problems, boolean replaces) {
        try {
            ProviderTemplate template = TemplateParser.parse(document, origin);
            if (!replaces && templates.containsKey(template.id())) {
                problems.add(new TemplateProblem(origin, "id", "'" + template.id() + "' is already the id of "
                        + templates.get(template.id()).origin()));
                return null;
            }
            templates.put(template.id(), template);
            return template;
        } catch (TemplateParser.InvalidTemplate e) {
            problems.add(new TemplateProblem(origin, e.field(), e.getMessage()));
            return null;
        }
    }

    private static List<String> builtInFiles(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(BUILT_IN_INDEX)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN_INDEX + " is missing from conduit-core");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
