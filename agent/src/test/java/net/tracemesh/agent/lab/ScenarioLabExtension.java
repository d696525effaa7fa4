package net.tracemesh.agent.lab;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes the one {@link ScenarioLab} of this test JVM. The lab is built on first use and kept in the
 * root extension store, which closes it (deleting every namespace) when the whole test run ends; a test class
 * that declares {@code @ExtendWith(ScenarioLabExtension.class)} is skipped, with the reason, when this machine
 * cannot build labs (not root, no {@code ip}/{@code iptables}).
 */
public final class ScenarioLabExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(ScenarioLabExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ScenarioLab.class;
    }

    @Override
    public ScenarioLab resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The shared lab, built now if this is the first request of the run. */
    public static ScenarioLab shared(ExtensionContext context) {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        return context.getRoot().getStore(STORE)
                .getOrComputeIfAbsent(SharedLab.class, key -> new SharedLab(ScenarioLab.start()), SharedLab.class)
                .lab();
    }

    /** Store entry that deletes the lab when the root context closes. */
    private record SharedLab(ScenarioLab lab) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            lab.close();
        }
    }
}
