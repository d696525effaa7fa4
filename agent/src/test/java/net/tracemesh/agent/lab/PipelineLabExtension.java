package net.tracemesh.agent.lab;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes the one {@link PipelineLab} of this test JVM, built on first use and closed when the whole
 * run ends; classes are skipped, with the reason, where labs cannot be built (not root).
 */
public final class PipelineLabExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(PipelineLabExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PipelineLab.class;
    }

    @Override
    public PipelineLab resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        return context.getRoot().getStore(STORE)
                .getOrComputeIfAbsent(Shared.class, key -> new Shared(PipelineLab.start()), Shared.class)
                .lab();
    }

    /** Store entry that tears the lab down when the root context closes. */
    private record Shared(PipelineLab lab) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            lab.close();
        }
    }
}
