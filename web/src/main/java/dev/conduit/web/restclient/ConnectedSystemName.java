package dev.conduit.web.restclient;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the connected system whose access token {@link ConduitAuthentication} puts on every call of a MicroProfile
 * Rest Client interface (or of one method, which then wins over its interface).
 *
 * <pre>{@code
 * @RegisterRestClient(configKey = "orders")
 * @RegisterProvider(ConduitAuthentication.class)
 * @ConnectedSystemName("orders")
 * public interface OrdersClient { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ConnectedSystemName {

    /** The connected system's name, as in {@code /api/connected-systems/{name}}. */
    String value();
}
