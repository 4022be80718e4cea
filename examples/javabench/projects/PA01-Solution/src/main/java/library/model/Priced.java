package library.model;

/**
 * Something with a replacement cost (what the library pays to replace it).
 */
public interface Priced {
    /**
     * @return the replacement cost in euros, always positive
     */
    double replacementCost();

    /**
     * @return the yearly insurance cost: 10 percent of the replacement cost
     */
    default double insuranceCost() {
        return replacementCost() * 0.1;
    }
}
