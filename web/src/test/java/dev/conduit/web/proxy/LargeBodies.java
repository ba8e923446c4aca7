package dev.conduit.web.proxy;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;

import dev.conduit.core.integration.ProxySettings;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.TestConduit;
import dev.conduit.web.proxy.LoopbackResourceServer.Answer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.util.List;

/**
 * Passes a large download and a large upload through the proxy filter, each generated as it goes, and checks every
 * byte (length and SHA-256). Run in a JVM of its own with a heap smaller than the bodies ({@link ProxyLargeBodyTest}):
 * it fails with an OutOfMemoryError if either body were held whole. Prints one line per direction and exits 0 when
 * both arrived intact.
 */
public final class LargeBodies {

    private LargeBodies() {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[0]);
        try (TestConduit conduit = new TestConduit(); LoopbackResourceServer resource = new LoopbackResourceServer()) {
            conduit.server.path("/token").setDefault(ScriptedResponse.okToken("large-body-token", 3600));
            conduit.systemsResource.create(body("""
                    {"name": "files", "grantType": "client_credentials", "tokenEndpoint": "%s",
                     "integrationBaseUrl": "%s", "clientId": "%s", "clientSecret": "%s"}
                    """.formatted(conduit.server.url("/token"), resource.url("/files"), TestSystems.CLIENT_ID,
                    TestSystems.CLIENT_SECRET)), uri("connected-systems"));
            ProxyFilter filter = new ProxyFilter(conduit.admin, conduit.integration, conduit.links,
                    ProxySettings.DEFAULT);
            String expected = patternSha256(size);

            resource.enqueue(Answer.generated(size, false));
            ServletExchange download = ServletExchange.of("GET", "/api/connected-systems/files/proxy/big.bin", null);
            filter.doFilter(download.request, download.response, (rq, rs) -> { });
            boolean downloadOk = download.status == 200 && download.bodyLength == size
                    && download.bodySha256().equals(expected)
                    && download.header("Content-Length").equals(List.of(Long.toString(size)));
            System.out.println("download " + download.status + " " + download.bodyLength + " bytes, intact: "
                    + downloadOk + ", heap max " + Runtime.getRuntime().maxMemory() + ", peak used "
                    + peakHeap());

            resource.enqueue(Answer.of(201, new byte[0]));
            ServletExchange upload = new ServletExchange("PUT", "/api/connected-systems/files/proxy/big.bin", null,
                    ServletExchange.pairs("Content-Type", "application/octet-stream"), pattern(size), size, "alice");
            filter.doFilter(upload.request, upload.response, (rq, rs) -> { });
            LoopbackResourceServer.Arrived arrived = resource.last();
            boolean uploadOk = upload.status == 201 && arrived.bodyLength() == size
                    && arrived.bodySha256().equals(expected);
            System.out.println("upload " + upload.status + " " + arrived.bodyLength() + " bytes, intact: " + uploadOk
                    + ", peak used " + peakHeap());
            System.exit(downloadOk && uploadOk ? 0 : 1);
        }
    }

    /** The bytes {@link LoopbackResourceServer} generates, as a stream that holds none of them. */
    static InputStream pattern(long size) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < size ? LoopbackResourceServer.patternByte(position++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = LoopbackResourceServer.patternByte(position++);
                }
                return n;
            }
        };
    }

    private static String patternSha256(long size) throws Exception {
        MessageDigest sha256 = LoopbackResourceServer.sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = pattern(size)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
            }
        }
        return LoopbackResourceServer.hex(sha256.digest());
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
