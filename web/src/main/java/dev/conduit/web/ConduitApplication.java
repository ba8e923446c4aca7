package dev.conduit.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Conduit's REST API under {@code /api}. Errors leave as RFC 9457 problem documents ({@code application/problem+json})
 * carrying the {@code ErrorCode} in {@code code} and a {@code hint}.
 */
@ApplicationPath("api")
@OpenAPIDefinition(info = @Info(title = "Conduit", version = "0.1.0",
        description = "OAuth 2.0 connected systems: configure systems, authorize users, make integration calls. "
                + "Errors are RFC 9457 problem documents with code (the ErrorCode), hint and field."),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
public class ConduitApplication extends Application {
}
