package net.tracemesh.agent.lab;

import java.nio.charset.StandardCharsets;

/**
 * Builds the {@link ScenarioLab} and keeps it up for poking around by hand, until stdin ends or the process is
 * terminated (the lab is deleted either way):
 *
 * <pre>
 * java -cp agent/target/test-classes net.tracemesh.agent.lab.LabMain
 * ip netns exec &lt;vantage&gt; traceroute -n 198.18.19.2
 * </pre>
 */
public final class LabMain {
    private LabMain() {
    }

    public static void main(String[] args) throws Exception {
        String reason = NetnsLab.unavailableReason();
        if (reason != null) {
            System.err.println("lab: " + reason);
            System.exit(2);
        }
        try (ScenarioLab lab = ScenarioLab.start()) {
            for (Netns n : lab.lab().namespaces()) {
                System.out.println(n.role() + "\t" + n.name() + "\t" + n.addresses().keySet());
            }
            System.out.println("vantage " + lab.vantage().name());
            System.out.flush();
            byte[] buffer = new byte[256];
            while (System.in.read(buffer) >= 0) {
                System.out.println(new String(buffer, StandardCharsets.UTF_8).isBlank() ? "" : "(stdin ignored)");
            }
        }
    }
}
