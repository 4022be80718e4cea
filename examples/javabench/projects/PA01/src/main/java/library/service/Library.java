package library.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import library.model.Item;
import library.model.Member;

/**
 * The library: a catalog, its members and the loans currently out.
 */
public class Library {
    private final Catalog catalog;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, Loan> activeLoans = new LinkedHashMap<>();
    private double collectedFines;

    /**
     * @throws IllegalArgumentException if the catalog is null
     */
    public Library(Catalog catalog) {
        // TODO
        throw new UnsupportedOperationException();
    }

    public Catalog getCatalog() {
        return catalog;
    }

    public double getCollectedFines() {
        return collectedFines;
    }

    /**
     * @throws IllegalArgumentException if the member is null or its id is already registered
     */
    public void registerMember(Member member) {
        // TODO
        throw new UnsupportedOperationException();
    }

    /**
     * @return the number of active loans of the member with this id
     */
    public int loanCount(String memberId) {
        // TODO
        return 0;
    }

    /**
     * Lends an item to a member.
     *
     * @throws IllegalArgumentException if the member or the item is unknown
     * @throws IllegalStateException    if the item is already lent, or the member is at their limit
     */
    public Loan checkout(String memberId, String itemId, int day) {
        // TODO
        return null;
    }

    /**
     * Ends the loan of an item, charging and recording its late fee.
     *
     * @return the fee charged
     * @throws IllegalArgumentException if the item is not currently lent
     */
    public double returnItem(String itemId, int day) {
        // TODO
        return 0;
    }

    /**
     * @return the active loans that are overdue on the given day, in checkout order
     */
    public List<Loan> overdueLoans(int today) {
        // TODO
        return null;
    }
}
