package library.model;

import java.util.Locale;

/**
 * A printed book. Books are lent for three weeks.
 */
public class Book extends Item {
    private final String author;
    private final int pages;

    /**
     * @throws IllegalArgumentException if the author is blank or pages is not positive
     *                                  (or if an item argument is invalid)
     */
    public Book(String id, String title, int year, String author, int pages) {
        super(id, title, year);
        // TODO
        throw new UnsupportedOperationException();
    }

    public String getAuthor() {
        return author;
    }

    public int getPages() {
        return pages;
    }

    /**
     * @return 21 days
     */
    @Override
    public int loanPeriodDays() {
        // TODO
        return 0;
    }

    /**
     * @return 0.25 euros per day
     */
    @Override
    public double dailyFine() {
        // TODO
        return 0;
    }

    /**
     * @return 10 euros plus 5 cents per page
     */
    @Override
    public double replacementCost() {
        // TODO
        return 0;
    }

    /**
     * Matches the title (as any item) or, case-insensitively, the author.
     */
    @Override
    public boolean matches(String query) {
        // TODO
        return false;
    }
}
