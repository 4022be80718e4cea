package library.service;

import library.model.Item;
import library.model.Member;

/**
 * One item lent to one member. Days are counted as integers from an arbitrary day 0.
 */
public class Loan {
    private final Item item;
    private final Member member;
    private final int startDay;

    /**
     * @throws IllegalArgumentException if item or member is null, or startDay is negative
     */
    public Loan(Item item, Member member, int startDay) {
        if (item == null || member == null) {
            throw new IllegalArgumentException("item and member are required");
        }
        if (startDay < 0) {
            throw new IllegalArgumentException("startDay must not be negative");
        }
        this.item = item;
        this.member = member;
        this.startDay = startDay;
    }

    public Item getItem() {
        return item;
    }

    public Member getMember() {
        return member;
    }

    public int getStartDay() {
        return startDay;
    }

    /**
     * @return the last day on which the item may be returned without a fee:
     *         the start day plus the item's loan period
     */
    public int dueDay() {
        return startDay + item.loanPeriodDays();
    }

    /**
     * @return true if the item is still out on the given day and that day is after the due day
     */
    public boolean isOverdue(int today) {
        return today > dueDay();
    }

    /**
     * @param returnDay the day the item is returned
     * @return the number of days after the due day, or 0 if on time
     * @throws IllegalArgumentException if returnDay is before the start day
     */
    public int daysLate(int returnDay) {
        if (returnDay < startDay) {
            throw new IllegalArgumentException("returned before it was lent");
        }
        return Math.max(0, returnDay - dueDay());
    }

    /**
     * @return the item's late fee for a return on returnDay
     */
    public double fee(int returnDay) {
        return item.lateFee(daysLate(returnDay));
    }
}
