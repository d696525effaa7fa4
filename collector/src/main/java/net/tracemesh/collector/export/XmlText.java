package net.tracemesh.collector.export;

/** Text made safe for XML 1.0: characters XML cannot hold at all (most control characters) become U+FFFD. */
final class XmlText {
    private static final char REPLACEMENT = '\uFFFD';

    private XmlText() {
    }

    static String clean(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || Character.isSurrogate(c);
            if (!allowed && b == null) {
                b = new StringBuilder(text.substring(0, i));
            }
            if (b != null) {
                b.append(allowed ? c : REPLACEMENT);
            }
        }
        return b == null ? text : b.toString();
    }
}
