/** The cache module's HTTP routes: coherence records, cache counters, raw object data. */
package ssi.cache.http;
