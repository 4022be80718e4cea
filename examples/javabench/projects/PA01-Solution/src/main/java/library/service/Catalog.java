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
        if (item == null) {
            throw new IllegalArgumentException("item is required");
        }
        if (items.containsKey(item.getId())) {
            throw new IllegalArgumentException("duplicate id: " + item.getId());
        }
        items.put(item.getId(), item);
    }

    /**
     * @return the item with this id, or null if there is none
     */
    public Item findById(String id) {
        return items.get(id);
    }

    /**
     * @return the items matching the query, in insertion order
     */
    public List<Item> search(String query) {
        List<Item> found = new ArrayList<>();
        for (Item item : items.values()) {
            if (item.matches(query)) {
                found.add(item);
            }
        }
        return found;
    }

    public int size() {
        return items.size();
    }

    /**
     * @return the sum of the replacement costs of all items
     */
    public double totalReplacementCost() {
        double total = 0.0;
        for (Item item : items.values()) {
            total += item.replacementCost();
        }
        return total;
    }
}
