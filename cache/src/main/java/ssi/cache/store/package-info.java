/**
 * The page store: the authoritative copy of every VM object's attributes and pages, in
 * PostgreSQL. {@link ssi.cache.store.PageStore} is the asynchronous API (replies carry an errno,
 * mutations are group-committed and complete after their commit); {@link
 * ssi.cache.store.JdbcPageStore} implements it over JDBC and HikariCP on the blocking dispatcher
 * {@code ssi-store-dispatcher}; {@link ssi.cache.store.EmbeddedStore} and {@link
 * ssi.cache.store.EmbeddedStoreMain} run the embedded PostgreSQL used by default; {@link
 * ssi.cache.store.StoreSettings} reads {@code ssi.page-size} and {@code ssi.store.*}. The backing
 * store entities are the only writers through it.
 */
package ssi.cache.store;
