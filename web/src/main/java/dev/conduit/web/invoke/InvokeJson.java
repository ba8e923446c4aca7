package dev.conduit.web.invoke;

import dev.conduit.core.integration.IntegrationRequest;
import dev.conduit.core.integration.IntegrationResponse;
import dev.conduit.web.json.JsonFields;
import dev.conduit.web.json.SharedJson;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An integration call as JSON: {@code {method, path, query, headers, body | bodyBase64}} in, {@code {status, headers,
 * body | bodyBase64, tokenRenewed}} out. Query and header values are a string or a list of strings; a body that is not
 * UTF-8 text travels as base64.
 */
public final class InvokeJson {

    private InvokeJson() {
    }

    public static IntegrationRequest read(JsonObject json) {
        JsonFields in = JsonFields.of(json).allowOnly(Set.of("method", "path", "query", "headers", "body", "bodyBase64"));
        if (in.has("body") && in.has("bodyBase64")) {
            throw in.invalid("bodyBase64", "send either body or bodyBase64, not both");
        }
        byte[] body = null;
        if (in.has("body")) {
            body = in.string("body").getBytes(StandardCharsets.UTF_8);
        } else if (in.has("bodyBase64")) {
            try {
                body = Base64.getDecoder().decode(in.string("bodyBase64"));
            } catch (IllegalArgumentException e) {
                throw in.invalid("bodyBase64", "is not valid base64");
            }
        }
        return new IntegrationRequest(in.string("method"), in.string("path"), multiMap(in, "query"),
                multiMap(in, "headers"), body);
    }

    public static JsonObject write(IntegrationResponse response) {
        JsonObjectBuilder headers = SharedJson.createObjectBuilder();
        response.headers().forEach((name, values) -> {
            JsonArrayBuilder list = SharedJson.createArrayBuilder();
            values.forEach(list::add);
            headers.add(name, list);
        });
        JsonObjectBuilder json = SharedJson.createObjectBuilder()
                .add("status", response.status())
                .add("headers", headers)
                .add("tokenRenewed", response.tokenRenewed());
        byte[] body = response.body();
        String text = utf8(body);
        if (text != null) {
            json.add("body", text);
        } else {
            json.add("bodyBase64", Base64.getEncoder().encodeToString(body));
        }
        return json.build();
    }

    private static Map<String, List<String>> multiMap(JsonFields in, String member) {
        JsonFields object = in.object(member);
        if (object == null) {
            return Map.of();
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        JsonObject raw = object.json();
        for (String name : object.names()) {
            JsonValue value = raw.get(name);
            List<String> values = new ArrayList<>();
            if (value instanceof JsonString s) {
                values.add(s.getString());
            } else if (value.getValueType() == JsonValue.ValueType.ARRAY) {
                for (JsonValue item : value.asJsonArray()) {
                    if (!(item instanceof JsonString s)) {
                        throw object.invalid(name, "must be a string or a list of strings");
                    }
                    values.add(s.getString());
                }
            } else {
                throw object.invalid(name, "must be a string or a list of strings");
            }
            map.put(name, values);
        }
        return map;
    }

    /** The bytes as text when they are valid UTF-8, else {@code null}. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
