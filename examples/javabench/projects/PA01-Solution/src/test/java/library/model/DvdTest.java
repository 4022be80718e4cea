package library.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DvdTest {
    @Test
    void constructorAndPolicy() {
        assertThrows(IllegalArgumentException.class, () -> new Dvd("D1", "Alien", 1979, 0));
        Dvd d = new Dvd("D1", "Alien", 1979, 117);
        assertEquals(117, d.getMinutes());
        assertEquals(7, d.loanPeriodDays());
        assertEquals(1.0, d.dailyFine(), 1e-9);
        assertEquals(25.0, d.replacementCost(), 1e-9);
    }

    @Test
    void lateFeeUsesDailyFineAndCap() {
        Dvd d = new Dvd("D1", "Alien", 1979, 117);
        assertEquals(3.0, d.lateFee(3), 1e-9);
        assertEquals(25.0, d.lateFee(40), 1e-9);
    }

    @Test
    void featureLength() {
        assertTrue(new Dvd("D1", "Alien", 1979, 117).isFeature());
        assertFalse(new Dvd("D2", "Short", 2001, 45).isFeature());
    }
}
