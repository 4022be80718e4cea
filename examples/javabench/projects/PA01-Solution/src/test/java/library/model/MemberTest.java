package library.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemberTest {
    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new Member(" ", "Ada", 2));
        assertThrows(IllegalArgumentException.class, () -> new Member("M1", "", 2));
        assertThrows(IllegalArgumentException.class, () -> new Member("M1", "Ada", 0));
        assertThrows(IllegalArgumentException.class, () -> new Member("M1", "Ada", 11));
        Member m = new Member("M1", "Ada Lovelace", 10);
        assertEquals("M1", m.getId());
        assertEquals("Ada Lovelace", m.getName());
        assertEquals(10, m.getMaxLoans());
        assertThrows(IllegalArgumentException.class, () -> m.setMaxLoans(-1));
        assertEquals(10, m.getMaxLoans());
    }

    @Test
    void canBorrowBelowLimit() {
        Member m = new Member("M1", "Ada Lovelace", 2);
        assertTrue(m.canBorrow(0));
        assertTrue(m.canBorrow(1));
        assertFalse(m.canBorrow(2));
        assertThrows(IllegalArgumentException.class, () -> m.canBorrow(-1));
    }

    @Test
    void matchesNameOrId() {
        Member m = new Member("M1", "Ada Lovelace", 2);
        assertTrue(m.matches("ada"));
        assertTrue(m.matches(" M1 "));
        assertFalse(m.matches("grace"));
        assertFalse(m.matches(""));
        assertFalse(m.matches(null));
    }
}
