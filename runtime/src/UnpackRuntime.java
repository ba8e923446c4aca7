import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacks the Open Liberty runtime zip (8,400 files, 400 MB) for README's start command.
 *
 * <p>Run by the JDK's source launcher ({@code java UnpackRuntime.java ZIP DIR}), so that it needs nothing but the JDK
 * that runs Maven. It exists because liberty:install-server took 16 to 19 s for this zip on an idle 2-core machine,
 * longer than compiling every module, while inflating it on two threads takes about 4 s. Keeps the files' executable
 * bits (bin/server), refuses entries that would land outside DIR, and does nothing when DIR already holds this zip.
 */
public final class UnpackRuntime {

    private static final String MARKER = ".unpacked-from";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java UnpackRuntime.java <runtime zip> <target directory>");
        }
        Path zip = Path.of(args[0]).toAbsolutePath();
        Path target = Path.of(args[1]).toAbsolutePath().normalize();
        String source = zip + " " + Files.size(zip) + " " + Files.getLastModifiedTime(zip).toMillis();
        Path marker = target.resolve(MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(source)) {
            System.out.println("Open Liberty is already unpacked in " + target);
            return;
        }
        long start = System.nanoTime();
        removeEarlierRuntime(target.resolve("wlp"));
        Set<String> executable = executableEntries(zip);
        int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        try (ZipFile zipFile = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zipFile.entries());
            for (ZipEntry entry : entries) {
                Path out = inside(target, entry);
                Files.createDirectories(entry.isDirectory() ? out : out.getParent());
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> parts = new ArrayList<>();
                for (int part = 0; part < threads; part++) {
                    int first = part;
                    parts.add(pool.submit(() -> {
                        byte[] buffer = new byte[1 << 16];
                        for (int i = first; i < entries.size(); i += threads) {
                            ZipEntry entry = entries.get(i);
                            if (!entry.isDirectory()) {
                                write(zipFile, entry, inside(target, entry), buffer, executable.contains(entry.getName()));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> part : parts) {
                    part.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        Files.writeString(marker, source);
        System.out.printf("Unpacked %s into %s in %.1f s%n", zip.getFileName(), target, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Another runtime version, or an interrupted unpack, may have left files here that this zip does not overwrite
     * (a kernel or feature of another version, which Liberty would find beside this one's). Keeps usr/: the servers,
     * with their databases and keys.
     */
    private static void removeEarlierRuntime(Path wlp) throws IOException {
        if (!Files.isDirectory(wlp)) {
            return;
        }
        try (Stream<Path> top = Files.list(wlp)) {
            for (Path path : (Iterable<Path>) top::iterator) {
                if (!path.getFileName().toString().equals("usr")) {
                    delete(path);
                }
            }
        }
    }

    private static void delete(Path path) throws IOException {
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path each : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(each);
            }
        }
    }

    /** The entries whose owner may execute them; java.util.zip does not expose the Unix mode, the zip file system does. */
    private static Set<String> executableEntries(Path zip) throws IOException {
        Set<String> executable = new HashSet<>();
        try (FileSystem zipFs = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"));
             Stream<Path> paths = Files.walk(zipFs.getPath("/"))) {
            paths.filter(Files::isRegularFile).forEach(path -> {
                try {
                    if (Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_EXECUTE)) {
                        executable.add(path.toString().substring(1));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return executable;
    }

    private static Path inside(Path target, ZipEntry entry) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
            throw new IllegalStateException("zip entry outside the target directory: " + entry.getName());
        }
        return out;
    }

    private static void write(ZipFile zipFile, ZipEntry entry, Path out, byte[] buffer, boolean executable)
            throws IOException {
        try (InputStream in = zipFile.getInputStream(entry); OutputStream os = Files.newOutputStream(out)) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                os.write(buffer, 0, read);
            }
        }
        if (executable && !out.toFile().setExecutable(true, false)) {
            throw new IOException("cannot make executable: " + out);
        }
    }
}
