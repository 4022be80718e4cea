package library.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import library.model.Book;
import library.model.Dvd;
import library.model.Item;
import library.model.Magazine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogTest {
    private Catalog catalog;
    private Magazine byte12;

    @BeforeEach
    void setUp() {
        catalog = new Catalog();
        byte12 = new Magazine("M1", "Byte", 1985, 12);
        catalog.add(new Book("B1", "Effective Java", 2018, "Joshua Bloch", 412));
        catalog.add(new Dvd("D1", "Alien", 1979, 117));
        catalog.add(byte12);
        catalog.add(new Book("B2", "Java Concurrency in Practice", 2006, "Brian Goetz", 384));
    }

    private static List<String> ids(List<Item> items) {
        List<String> ids = new ArrayList<>();
        for (Item item : items) {
            ids.add(item.getId());
        }
        return ids;
    }

    @Test
    void addRejectsNullAndDuplicates() {
        assertThrows(IllegalArgumentException.class, () -> catalog.add(null));
        assertThrows(IllegalArgumentException.class, () -> catalog.add(new Dvd("D1", "Other", 2000, 90)));
        assertEquals(4, catalog.size());
    }

    @Test
    void findById() {
        assertSame(byte12, catalog.findById("M1"));
        assertEquals("Byte #12", ((Magazine) catalog.findById("M1")).label());
        assertNull(catalog.findById("X9"));
    }

    @Test
    void searchMatchesInInsertionOrder() {
        List<Item> found = catalog.search("java");
        assertEquals(List.of("B1", "B2"), ids(found));
        assertEquals(List.of("M1"), ids(catalog.search("byte")));
        assertEquals(List.of("M1"), ids(catalog.search("#12")));
        assertEquals(List.of("B2"), ids(catalog.search("goetz")));
        assertTrue(catalog.search("zzz").isEmpty());
    }

    @Test
    void totalReplacementCost() {
        assertEquals(30.6 + 25.0 + 4.0 + 29.2, catalog.totalReplacementCost(), 1e-9);
    }
}
