package library.model;

/**
 * One issue of a magazine.
 */
public class Magazine extends Item {
    private final int issue;

    /**
     * @throws IllegalArgumentException if issue is not positive (or an item argument is invalid)
     */
    public Magazine(String id, String title, int year, int issue) {
        super(id, title, year);
        // TODO
        throw new UnsupportedOperationException();
    }

    public int getIssue() {
        return issue;
    }

    /**
     * @return the title followed by a space, a hash sign and the issue number, e.g. "Byte #12"
     */
    public String label() {
        // TODO
        return null;
    }

    /**
     * @return 7 days
     */
    @Override
    public int loanPeriodDays() {
        // TODO
        return 0;
    }

    /**
     * @return 0.1 euros per day
     */
    @Override
    public double dailyFine() {
        // TODO
        return 0;
    }

    /**
     * @return 4 euros
     */
    @Override
    public double replacementCost() {
        // TODO
        return 0;
    }

    /**
     * Matches the title (as any item) or the exact issue tag, e.g. "#12".
     */
    @Override
    public boolean matches(String query) {
        // TODO
        return false;
    }
}
