package net.tracemesh.platform.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * The demo's command line: {@code up} or {@code down} and their options.
 *
 * @param kafkaPort         the broker's port, 0 for a free one
 * @param routeChangeAfter  seconds after the start when the route changes, 0 for never
 */
record DemoOptions(boolean up, boolean help, Path dataDir, int webPort, String webListen, int kafkaPort,
                   int intervalSeconds, int routeChangeAfter) {
    static final int DEFAULT_WEB_PORT = 8080;
    static final int DEFAULT_INTERVAL = 30;
    static final int DEFAULT_ROUTE_CHANGE_AFTER = 120;
    private static final int MAX_SECONDS = 86_400;

    static DemoOptions parse(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("expected 'up' or 'down' (see 'tracemesh demo --help')");
        }
        String command = args.get(0);
        if (List.of("--help", "-h", "help").contains(command) || args.contains("--help") || args.contains("-h")) {
            return new DemoOptions(false, true, DemoMain.DEFAULT_DATA_DIR, 0, "", 0, 0, 0);
        }
        if (!command.equals("up") && !command.equals("down")) {
            throw new IllegalArgumentException("unknown command '" + command + "' (expected up or down)");
        }
        boolean up = command.equals("up");
        Path dataDir = DemoMain.DEFAULT_DATA_DIR;
        int webPort = DEFAULT_WEB_PORT;
        String webListen = "127.0.0.1";
        int kafkaPort = 0;
        int interval = DEFAULT_INTERVAL;
        int routeChange = DEFAULT_ROUTE_CHANGE_AFTER;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (!up && !a.equals("--data-dir")) {
                throw new IllegalArgumentException("unknown option '" + a + "' for down (expected --data-dir DIR)");
            }
            switch (a) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                case "--web-port" -> webPort = number(value(args, ++i, a), a, 1, 65535);
                case "--web-listen" -> webListen = value(args, ++i, a);
                case "--kafka-port" -> kafkaPort = number(value(args, ++i, a), a, 1, 65535);
                case "--interval" -> interval = number(value(args, ++i, a), a, 5, MAX_SECONDS);
                case "--route-change-after" -> routeChange = number(value(args, ++i, a), a, 0, MAX_SECONDS);
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
            }
        }
        return new DemoOptions(up, false, dataDir, webPort, webListen, kafkaPort, interval, routeChange);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int number(String text, String option, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", got " + text);
        }
    }
}
