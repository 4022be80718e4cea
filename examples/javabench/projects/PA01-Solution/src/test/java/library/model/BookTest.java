package library.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BookTest {
    private static Book effectiveJava() {
        return new Book("B1", "  Effective Java ", 2018, "Joshua Bloch", 412);
    }

    @Test
    void constructorRejectsInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Book("", "T", 2000, "A", 10));
        assertThrows(IllegalArgumentException.class, () -> new Book("B", " ", 2000, "A", 10));
        assertThrows(IllegalArgumentException.class, () -> new Book("B", "T", 1400, "A", 10));
        assertThrows(IllegalArgumentException.class, () -> new Book("B", "T", 2000, "", 10));
        assertThrows(IllegalArgumentException.class, () -> new Book("B", "T", 2000, "A", 0));
    }

    @Test
    void gettersAndSetTitle() {
        Book b = effectiveJava();
        assertEquals("B1", b.getId());
        assertEquals("Effective Java", b.getTitle());
        assertEquals(2018, b.getYear());
        assertEquals("Joshua Bloch", b.getAuthor());
        assertEquals(412, b.getPages());
        assertThrows(IllegalArgumentException.class, () -> b.setTitle("  "));
        b.setTitle(" Effective Java, 3rd ed. ");
        assertEquals("Effective Java, 3rd ed.", b.getTitle());
    }

    @Test
    void lendingPolicyAndCosts() {
        Book b = effectiveJava();
        assertEquals(21, b.loanPeriodDays());
        assertEquals(0.25, b.dailyFine(), 1e-9);
        assertEquals(30.6, b.replacementCost(), 1e-9);
        assertEquals(3.06, b.insuranceCost(), 1e-9);
    }

    @Test
    void lateFeeIsCappedAtReplacementCost() {
        Book b = effectiveJava();
        assertEquals(0.0, b.lateFee(0), 1e-9);
        assertEquals(0.0, b.lateFee(-3), 1e-9);
        assertEquals(1.0, b.lateFee(4), 1e-9);
        assertEquals(30.6, b.lateFee(1000), 1e-9);
    }

    @Test
    void matchesTitleOrAuthor() {
        Book b = effectiveJava();
        assertTrue(b.matches("effective"));
        assertTrue(b.matches("BLOCH"));
        assertFalse(b.matches("python"));
        assertFalse(b.matches(null));
        assertFalse(b.matches("   "));
    }
}
