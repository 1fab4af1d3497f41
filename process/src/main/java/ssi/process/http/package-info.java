/** The process, migration and drain HTTP routes (DESIGN §11). */
package ssi.process.http;
