package net.tracemesh.broker.security;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;

/**
 * Kafka's own ACL authorizer ({@link StandardAuthorizer}, ACLs in the KRaft metadata) that also writes every
 * denial Kafka itself would log as a denial (actions with {@code logIfDenied}, i.e. not the silent filtering of
 * topic lists) to the broker's {@link AuditLog}, with principal, client address, operation and resource. The audit
 * file comes from the broker property {@value #AUDIT_FILE_CONFIG}.
 */
public class AuditingAuthorizer extends StandardAuthorizer {
    /** Broker property naming the audit file. */
    public static final String AUDIT_FILE_CONFIG = "tracemesh.audit.file";

    private volatile AuditLog audit;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        Object file = configs.get(AUDIT_FILE_CONFIG);
        if (file != null && !file.toString().isBlank()) {
            audit = AuditLog.forFile(java.nio.file.Path.of(file.toString()));
        }
    }

    @Override
    public List<AuthorizationResult> authorize(AuthorizableRequestContext context, List<Action> actions) {
        List<AuthorizationResult> results = super.authorize(context, actions);
        AuditLog log = audit;
        if (log != null) {
            for (int i = 0; i < results.size(); i++) {
                Action action = actions.get(i);
                if (results.get(i) == AuthorizationResult.DENIED && action.logIfDenied()) {
                    ResourcePattern resource = action.resourcePattern();
                    log.record(AuditEvent.authorizationDenied(String.valueOf(context.principal()),
                            context.clientAddress() == null ? null : context.clientAddress().getHostAddress(),
                            action.operation().name(), resource.resourceType().name() + ":" + resource.name()));
                }
            }
        }
        return results;
    }
}
