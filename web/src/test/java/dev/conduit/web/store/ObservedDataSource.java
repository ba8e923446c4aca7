package dev.conduit.web.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts the connections open at this moment and can be switched off: then every new connection
 * fails as a pool does when the database is down.
 */
final class ObservedDataSource implements DataSource {

    private final DataSource delegate;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean available = true;

    ObservedDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    int openConnections() {
        return open.get();
    }

    void setAvailable(boolean available) {
        this.available = available;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!available) {
            throw new SQLTransientConnectionException("connection refused", "08001");
        }
        Connection connection = delegate.getConnection();
        open.incrementAndGet();
        boolean[] closed = {false};
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("close") && !closed[0]) {
                closed[0] = true;
                open.decrementAndGet();
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("only the configured user");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
