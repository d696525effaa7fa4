package net.tracemesh.web.measurements;

import static org.assertj.core.api.Assertions.assertThat;

import net.tracemesh.web.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Codec messages become 400s naming the field they start with. */
class MeasurementFieldErrorTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "interval_s: 0 is out of range 1..604800|interval_s|0 is out of range 1..604800",
        "targets[2]: '1.2.3.4/33' is not a prefix|targets[2]|'1.2.3.4/33' is not a prefix",
        "trace.max_ttl: 0 is out of range|trace.max_ttl|0 is out of range",
        "agents.ids[0]: 'x y' is not an agent id|agents.ids[0]|'x y' is not an agent id",
    })
    void namesTheField(String message, String field, String rest) {
        ApiException e = MeasurementRoutes.fieldError(message);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).isEqualTo(field + ": " + rest);
    }

    @Test
    void aMessageWithoutAFieldNamesNone() {
        ApiException e = MeasurementRoutes.fieldError("not valid JSON at line 1, column 2: unexpected end");
        assertThat(e.field()).isNull();
        assertThat(e.getMessage()).isEqualTo("not valid JSON at line 1, column 2: unexpected end");
    }
}
