package library.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import library.model.Book;
import library.model.Dvd;
import library.model.Magazine;
import library.model.Member;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LibraryTest {
    private Library library;
    private Member ada;
    private Member grace;

    @BeforeEach
    void setUp() {
        Catalog catalog = new Catalog();
        catalog.add(new Book("B1", "Effective Java", 2018, "Joshua Bloch", 412));
        catalog.add(new Dvd("D1", "Alien", 1979, 117));
        catalog.add(new Magazine("M1", "Byte", 1985, 12));
        library = new Library(catalog);
        ada = new Member("U1", "Ada", 2);
        grace = new Member("U2", "Grace", 1);
        library.registerMember(ada);
        library.registerMember(grace);
    }

    @Test
    void constructorAndRegistrationValidate() {
        assertThrows(IllegalArgumentException.class, () -> new Library(null));
        assertThrows(IllegalArgumentException.class, () -> library.registerMember(null));
        assertThrows(IllegalArgumentException.class, () -> library.registerMember(new Member("U1", "Other", 3)));
    }

    @Test
    void checkoutCreatesLoan() {
        Loan loan = library.checkout("U1", "B1", 3);
        assertEquals("B1", loan.getItem().getId());
        assertSame(ada, loan.getMember());
        assertEquals(24, loan.dueDay());
        assertEquals(1, library.loanCount("U1"));
        assertEquals(0, library.loanCount("U2"));
    }

    @Test
    void checkoutRejectsUnknownOrUnavailable() {
        assertThrows(IllegalArgumentException.class, () -> library.checkout("U9", "B1", 0));
        assertThrows(IllegalArgumentException.class, () -> library.checkout("U1", "X9", 0));
        library.checkout("U1", "B1", 0);
        assertThrows(IllegalStateException.class, () -> library.checkout("U2", "B1", 1));
    }

    @Test
    void checkoutRespectsMemberLimit() {
        library.checkout("U2", "D1", 0);
        assertThrows(IllegalStateException.class, () -> library.checkout("U2", "M1", 0));
        assertEquals(1, library.loanCount("U2"));
    }

    @Test
    void returnItemChargesLateFees() {
        library.checkout("U1", "B1", 0);
        library.checkout("U2", "M1", 0);
        assertEquals(1.0, library.returnItem("B1", 25), 1e-9);
        assertEquals(0.0, library.returnItem("M1", 7), 1e-9);
        assertEquals(1.0, library.getCollectedFines(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> library.returnItem("B1", 30));
        assertEquals(0, library.loanCount("U1"));
    }

    @Test
    void overdueLoans() {
        library.checkout("U1", "B1", 0);
        library.checkout("U1", "D1", 0);
        assertTrue(library.overdueLoans(7).isEmpty());
        List<Loan> late = library.overdueLoans(8);
        assertEquals(1, late.size());
        assertEquals("D1", late.get(0).getItem().getId());
        assertEquals(2, library.overdueLoans(22).size());
    }
}
