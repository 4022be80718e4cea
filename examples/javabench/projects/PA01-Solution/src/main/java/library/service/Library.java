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
        if (catalog == null) {
            throw new IllegalArgumentException("catalog is required");
        }
        this.catalog = catalog;
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
        if (member == null) {
            throw new IllegalArgumentException("member is required");
        }
        if (members.containsKey(member.getId())) {
            throw new IllegalArgumentException("duplicate member: " + member.getId());
        }
        members.put(member.getId(), member);
    }

    /**
     * @return the number of active loans of the member with this id
     */
    public int loanCount(String memberId) {
        int count = 0;
        for (Loan loan : activeLoans.values()) {
            if (loan.getMember().getId().equals(memberId)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Lends an item to a member.
     *
     * @throws IllegalArgumentException if the member or the item is unknown
     * @throws IllegalStateException    if the item is already lent, or the member is at their limit
     */
    public Loan checkout(String memberId, String itemId, int day) {
        Member member = members.get(memberId);
        if (member == null) {
            throw new IllegalArgumentException("unknown member: " + memberId);
        }
        Item item = catalog.findById(itemId);
        if (item == null) {
            throw new IllegalArgumentException("unknown item: " + itemId);
        }
        if (activeLoans.containsKey(itemId)) {
            throw new IllegalStateException("already lent: " + itemId);
        }
        if (!member.canBorrow(loanCount(memberId))) {
            throw new IllegalStateException("loan limit reached: " + memberId);
        }
        Loan loan = new Loan(item, member, day);
        activeLoans.put(itemId, loan);
        return loan;
    }

    /**
     * Ends the loan of an item, charging and recording its late fee.
     *
     * @return the fee charged
     * @throws IllegalArgumentException if the item is not currently lent
     */
    public double returnItem(String itemId, int day) {
        Loan loan = activeLoans.get(itemId);
        if (loan == null) {
            throw new IllegalArgumentException("not lent: " + itemId);
        }
        double fee = loan.fee(day);
        activeLoans.remove(itemId);
        collectedFines += fee;
        return fee;
    }

    /**
     * @return the active loans that are overdue on the given day, in checkout order
     */
    public List<Loan> overdueLoans(int today) {
        List<Loan> overdue = new ArrayList<>();
        for (Loan loan : activeLoans.values()) {
            if (loan.isOverdue(today)) {
                overdue.add(loan);
            }
        }
        return overdue;
    }
}
