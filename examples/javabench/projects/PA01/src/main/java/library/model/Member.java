package library.model;

import java.util.Locale;

/**
 * A registered library member with a limit on simultaneous loans.
 */
public class Member implements Searchable {
    private final String id;
    private final String name;
    private int maxLoans;

    /**
     * @throws IllegalArgumentException if id or name is blank, or maxLoans is not in 1..10
     */
    public Member(String id, String name, int maxLoans) {
        // TODO
        throw new UnsupportedOperationException();
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public int getMaxLoans() {
        return maxLoans;
    }

    /**
     * @param maxLoans the new limit, between 1 and 10 inclusive
     * @throws IllegalArgumentException if the limit is out of range
     */
    public void setMaxLoans(int maxLoans) {
        // TODO
        throw new UnsupportedOperationException();
    }

    /**
     * @param currentLoans the number of items the member currently holds
     * @return true if the member may borrow one more item
     * @throws IllegalArgumentException if currentLoans is negative
     */
    public boolean canBorrow(int currentLoans) {
        // TODO
        return false;
    }

    /**
     * Matches the exact id, or a case-insensitive substring of the name.
     */
    @Override
    public boolean matches(String query) {
        // TODO
        return false;
    }
}
