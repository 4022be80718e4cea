package library.model;

import java.util.Locale;

/**
 * Base type of every lendable item of the catalog.
 */
public abstract class Item implements Searchable, Priced {
    private final String id;
    private String title;
    private final int year;

    /**
     * Creates an item. The title is stored stripped of surrounding whitespace.
     *
     * @param id    the catalog id, not blank
     * @param title the title, not blank
     * @param year  the publication year, between 1450 and 2100 inclusive
     * @throws IllegalArgumentException if an argument is invalid
     */
    protected Item(String id, String title, int year) {
        // TODO
        throw new UnsupportedOperationException();
    }

    public String getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public int getYear() {
        return year;
    }

    /**
     * Changes the title, stripped of surrounding whitespace.
     *
     * @param title the new title, not blank
     * @throws IllegalArgumentException if the title is null or blank
     */
    public void setTitle(String title) {
        // TODO
        throw new UnsupportedOperationException();
    }

    /**
     * @return how many days the item may be borrowed
     */
    public abstract int loanPeriodDays();

    /**
     * @return the fine per day of delay, in euros
     */
    public abstract double dailyFine();

    /**
     * Computes the fee for a late return: the daily fine times the number of days late,
     * capped at the replacement cost. Zero if the item is not late.
     *
     * @param daysLate number of days after the due day (zero or negative when on time)
     * @return the fee in euros
     */
    public double lateFee(int daysLate) {
        // TODO
        return 0;
    }

    /**
     * Case-insensitive substring match on the title.
     */
    @Override
    public boolean matches(String query) {
        // TODO
        return false;
    }
}
