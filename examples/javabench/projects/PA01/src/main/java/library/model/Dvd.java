package library.model;

/**
 * A DVD. DVDs are lent for one week and are expensive to return late.
 */
public class Dvd extends Item {
    private final int minutes;

    /**
     * @throws IllegalArgumentException if minutes is not positive (or an item argument is invalid)
     */
    public Dvd(String id, String title, int year, int minutes) {
        super(id, title, year);
        // TODO
        throw new UnsupportedOperationException();
    }

    public int getMinutes() {
        return minutes;
    }

    /**
     * @return true for a feature film, i.e. at least 60 minutes long
     */
    public boolean isFeature() {
        // TODO
        return false;
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
     * @return 1 euro per day
     */
    @Override
    public double dailyFine() {
        // TODO
        return 0;
    }

    /**
     * @return 25 euros
     */
    @Override
    public double replacementCost() {
        // TODO
        return 0;
    }
}
