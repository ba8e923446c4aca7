package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.http.Http;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LibertySmokeIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war().addAsWebResource(new StringAsset("pong"), "it-ping.txt");
    }

    @ArquillianResource
    URL base;

    @Test
    void pingWhenDeployedThenServedAtRoot() {
        System.out.println("base " + base);
        var r = Http.send(Http.request("http://localhost:9081/it-ping.txt").GET().build());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var h = Http.send(Http.request("http://localhost:9081/health").GET().build());
        System.out.println(h);
    }
}
