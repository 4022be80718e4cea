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
        if (author == null || author.isBlank()) {
            throw new IllegalArgumentException("author must not be blank");
        }
        if (pages <= 0) {
            throw new IllegalArgumentException("pages must be positive");
        }
        this.author = author;
        this.pages = pages;
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
        return 21;
    }

    /**
     * @return 0.25 euros per day
     */
    @Override
    public double dailyFine() {
        return 0.25;
    }

    /**
     * @return 10 euros plus 5 cents per page
     */
    @Override
    public double replacementCost() {
        return 10.0 + pages * 0.05;
    }

    /**
     * Matches the title (as any item) or, case-insensitively, the author.
     */
    @Override
    public boolean matches(String query) {
        if (super.matches(query)) {
            return true;
        }
        return query != null && !query.isBlank()
                && author.toLowerCase(Locale.ROOT).contains(query.strip().toLowerCase(Locale.ROOT));
    }
}
