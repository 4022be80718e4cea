package library.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import library.model.Book;
import library.model.Member;
import org.junit.jupiter.api.Test;

class LoanTest {
    private final Book book = new Book("B1", "Effective Java", 2018, "Joshua Bloch", 412);
    private final Member ada = new Member("U1", "Ada", 2);

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new Loan(null, ada, 0));
        assertThrows(IllegalArgumentException.class, () -> new Loan(book, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Loan(book, ada, -1));
    }

    @Test
    void dueDayFollowsItemPolicy() {
        Loan loan = new Loan(book, ada, 10);
        assertEquals(31, loan.dueDay());
        assertFalse(loan.isOverdue(31));
        assertTrue(loan.isOverdue(32));
    }

    @Test
    void daysLateAndFee() {
        Loan loan = new Loan(book, ada, 10);
        assertEquals(0, loan.daysLate(20));
        assertEquals(0, loan.daysLate(31));
        assertEquals(4, loan.daysLate(35));
        assertEquals(1.0, loan.fee(35), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> loan.daysLate(5));
    }

    @Test
    void gettersReturnParticipants() {
        Loan loan = new Loan(book, ada, 10);
        assertSame(book, loan.getItem());
        assertSame(ada, loan.getMember());
        assertEquals(10, loan.getStartDay());
    }
}
