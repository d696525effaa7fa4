package net.tracemesh.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The single-page app's shell with a session but no API modules: every tab opens, hash parameters fill the
 * forms, and no script fails (the API's 404 answers are expected and only logged as failed loads).
 */
class UiAppShellTest extends UiTestBase {
    private static final List<String> VIEWS = List.of("map", "history", "compare", "rtt", "agents", "measurements");

    @BeforeEach
    void signInFirst() {
        signIn();
    }

    @Test
    void everyTabOpensWithoutScriptErrors() {
        browser.get(server.baseUrl() + "/index.html#/map");
        browser.waitVisible("#map-canvas");
        for (String view : VIEWS) {
            browser.find("#nav .tab[data-view=" + view + "]").click();
            browser.waitVisible("#view-" + view);
            assertThat(browser.find("#view-" + view).getAttribute("class")).contains("active");
            for (String other : VIEWS) {
                if (!other.equals(view)) {
                    assertThat(browser.find("#view-" + other).isDisplayed()).as(other).isFalse();
                }
            }
            browser.screenshot("tab-" + view);
        }
        assertThat(browser.consoleErrors(UiAppShellTest::expectedWithoutApi)).isEmpty();
    }

    @Test
    void hashParametersFillTheHistoryForm() {
        browser.get(server.baseUrl() + "/index.html#/history?agent=fra1&destination=192.0.2.9&method=icmp-paris");

        browser.waitVisible("#history-form");
        assertThat(browser.find("#history-agent").getAttribute("value")).isEqualTo("fra1");
        assertThat(browser.find("#history-destination").getAttribute("value")).isEqualTo("192.0.2.9");
        assertThat(browser.find("#history-method").getAttribute("value")).isEqualTo("icmp-paris");
        // the history call fails (no queries module here) and the view says why
        browser.waitFor("return document.getElementById('history-status').textContent.includes('no API operation')");
        assertThat(browser.findAll(".toast-error")).isNotEmpty();
    }

    @Test
    void hopListsReadLikeTraceroute() {
        browser.get(server.baseUrl() + "/index.html#/agents");
        browser.waitVisible("#view-agents");
        Object text = browser.asyncScript(java.time.Duration.ofSeconds(20), """
                const done = arguments[arguments.length - 1];
                import('/assets/dom.js').then(dom => {
                  const route = {stop_reason: 'unreachable', stop_icmp_code: 1};
                  const hops = [{ttl: 1, addresses: ['198.18.0.1'], silent: false}, {ttl: 2, addresses: [], silent: true},
                    {ttl: 3, addresses: ['192.0.2.1', '192.0.2.2'], silent: false}];
                  const list = dom.hopList(hops, route, new Set([2]));
                  document.getElementById('view-agents').append(list);
                  done(Array.from(list.children).map(li => li.textContent + (li.classList.contains('changed') ? ' [changed]' : ''))
                    .join('\\n') + '\\n' + dom.stopText(route) + '\\n' + dom.unreachableAnnotation(4, 1400)
                    + ' ' + dom.unreachableAnnotation(13) + ' ' + dom.unreachableAnnotation(2) + ' ' + dom.unreachableAnnotation(0));
                });""");
        assertThat(text.toString().split("\\n")).containsExactly(
                " 1198.18.0.1",
                " 2* [changed]",
                " 3192.0.2.1 192.0.2.2 !H",
                "unreachable !H (ICMP code 1)",
                "!F1400 !X !P !N");
        browser.screenshot("hop-list");
    }

    /** Without API modules, API calls answer 404 and the event stream is not an event stream. */
    private static boolean expectedWithoutApi(String message) {
        return message.contains("Failed to load resource") || message.contains("EventSource");
    }
}
