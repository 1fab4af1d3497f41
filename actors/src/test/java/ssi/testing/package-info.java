/** Test support shared by every module's tests: log capture printed only on failure. */
package ssi.testing;
