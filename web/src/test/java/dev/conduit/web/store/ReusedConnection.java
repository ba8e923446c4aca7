package dev.conduit.web.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * A data source that hands out one physical connection again and again, as a pool of one would: a store's
 * {@code close()} returns it rather than closing it. For tests that make many thousand short statements, where opening
 * a PostgreSQL connection for each would measure the connection set-up instead of the store.
 */
final class ReusedConnection {

    private ReusedConnection() {
    }

    /** Every {@code getConnection()} answers {@code connection}, whose {@code close()} then does nothing. */
    static DataSource of(Connection connection) {
        Connection returned = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    return invoke(connection, method, args);
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && (args == null || args.length == 0)) {
                        return returned;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
