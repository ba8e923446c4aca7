package dev.conduit.it.conduit;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The real WAR built by the web module, as Arquillian deploys it. */
public final class ConduitDeployment {

    /**
     * Not {@code conduit.war}: the web module's server.xml configures an application of that name in {@code apps/},
     * and Liberty refuses two applications of one name.
     */
    public static final String NAME = "conduit-it.war";

    /** Serves the application at {@code /}, as the server.xml's {@code contextRoot} does for {@code conduit.war}. */
    private static final String WEB_EXT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-ext xmlns="http://websphere.ibm.com/xml/ns/javaee" version="1.1">
              <context-root uri="/"/>
            </web-ext>
            """;

    private ConduitDeployment() {
    }

    /** The web module's WAR, served at the root context. */
    public static WebArchive war() {
        File war = new File(System.getProperty("conduit.war", "target/deployments/conduit.war"));
        if (!war.isFile()) {
            throw new IllegalStateException("no WAR at " + war + " (the it module's pom copies it there)");
        }
        return ShrinkWrap.create(ZipImporter.class, NAME).importFrom(war).as(WebArchive.class)
                .addAsWebInfResource(new StringAsset(WEB_EXT), "ibm-web-ext.xml");
    }
}
