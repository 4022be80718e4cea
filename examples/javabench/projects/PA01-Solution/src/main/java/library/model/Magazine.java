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
        if (issue <= 0) {
            throw new IllegalArgumentException("issue must be positive");
        }
        this.issue = issue;
    }

    public int getIssue() {
        return issue;
    }

    /**
     * @return the title followed by a space, a hash sign and the issue number, e.g. "Byte #12"
     */
    public String label() {
        return getTitle() + " #" + issue;
    }

    /**
     * @return 7 days
     */
    @Override
    public int loanPeriodDays() {
        return 7;
    }

    /**
     * @return 0.1 euros per day
     */
    @Override
    public double dailyFine() {
        return 0.1;
    }

    /**
     * @return 4 euros
     */
    @Override
    public double replacementCost() {
        return 4.0;
    }

    /**
     * Matches the title (as any item) or the exact issue tag, e.g. "#12".
     */
    @Override
    public boolean matches(String query) {
        if (super.matches(query)) {
            return true;
        }
        return query != null && query.strip().equals("#" + issue);
    }
}
