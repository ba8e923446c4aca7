package dev.conduit.web.authorization;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One GET of the callback page as the container would hand it to the servlet, and what the servlet answered. */
final class CallbackExchange {

    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final StringWriter body = new StringWriter();
    int status = 200;
    String contentType;

    final HttpServletRequest request;
    final HttpServletResponse response;

    CallbackExchange(String user, Map<String, String[]> parameters) {
        Principal principal = user == null ? null : () -> user;
        Map<String, String[]> params = new LinkedHashMap<>(parameters);
        request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getParameterMap" -> params;
                    case "getUserPrincipal" -> principal;
                    case "getRequestURL" -> new StringBuffer("http://localhost:9080/oauth/callback");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        PrintWriter writer = new PrintWriter(body);
        response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> status = (Integer) args[0];
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> contentType = (String) args[0];
                        case "setCharacterEncoding" -> { }
                        case "getWriter" -> {
                            return writer;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }

    String html() {
        return body.toString();
    }
}
