/** The built-in programs: counter, yes, cat, wc, memtest. */
package ssi.process.program.builtin;
