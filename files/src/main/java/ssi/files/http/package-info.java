/**
 * The files module's HTTP routes on the management server: {@code /ssi/files/{path}} (the
 * namespace by path), {@code /ssi/handles/{capability}} (a file by HMAC-sealed handle) and
 * {@code /ssi/locks}. Every refusal is a JSON 4xx that changes nothing.
 */
package ssi.files.http;
