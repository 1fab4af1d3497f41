/**
 * Inside the page store, not API: the group committer, the connection gate with the store's
 * health (prompt EIO while the database is down, recovery when it is back), the SQL of each read
 * and mutation, and the schema with its migrations.
 */
package ssi.cache.store.internal;
