package library.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests only the non-task interface, through a lambda: no task class is reachable. */
class SearchableTest {
    @Test
    void lambdaImplementation() {
        Searchable s = q -> q != null && q.startsWith("lib");
        assertTrue(s.matches("library"));
        assertFalse(s.matches("book"));
    }

    @Test
    void nullQueryHandledByImplementation() {
        Searchable never = q -> false;
        assertFalse(never.matches(null));
    }
}
