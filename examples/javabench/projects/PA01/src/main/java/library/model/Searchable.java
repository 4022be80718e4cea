package library.model;

/**
 * Something that can be found in the catalog by a free-text query.
 */
public interface Searchable {
    /**
     * Tells whether this object matches a query.
     *
     * @param query the query text; null or blank queries never match
     * @return true if this object matches the query
     */
    boolean matches(String query);
}
