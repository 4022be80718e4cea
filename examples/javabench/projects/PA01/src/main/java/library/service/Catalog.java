package library.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import library.model.Item;

/**
 * The set of items owned by the library, keyed by id, in insertion order.
 */
public class Catalog {
    private final Map<String, Item> items = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException if the item is null or its id is already present
     */
    public void add(Item item) {
        // TODO
        throw new UnsupportedOperationException();
    }

    /**
     * @return the item with this id, or null if there is none
     */
    public Item findById(String id) {
        // TODO
        return null;
    }

    /**
     * @return the items matching the query, in insertion order
     */
    public List<Item> search(String query) {
        // TODO
        return null;
    }

    public int size() {
        // TODO
        return 0;
    }

    /**
     * @return the sum of the replacement costs of all items
     */
    public double totalReplacementCost() {
        // TODO
        return 0;
    }
}
