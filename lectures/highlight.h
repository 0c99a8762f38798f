/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lectures/highlight.h: C source as highlighted HTML, for the handouts.
 *
 * A small tokenizer, enough for teaching code: it knows comments, string and
 * character literals, numbers, preprocessor directives and the keywords of
 * C11, and writes each as a <span> with a class the handout's style sheet
 * colours:
 *
 *   com  comments              str  "strings", 'c', <header.h>
 *   kw   keywords (if, return)  num  2.385, 0x1f, 1e-8
 *   ty   types (double, size_t, gsl_vector: a name ending in _t or
 *        starting with gsl_ or nn_ that is not followed by '(')
 *   pp   #include, #define
 *
 * Everything else is copied, with &, < and > escaped. It does not parse:
 * a comment or string that is not closed runs to the end of the text,
 * which is what a reader would see anyway. (GNU Source-highlight, the
 * Debian library that does this, is C++ and would bring its run-time
 * along; this is about 150 lines of C.)
 */
#ifndef NN_HIGHLIGHT_H
#define NN_HIGHLIGHT_H

#include <stddef.h>
#include <stdio.h>

/* Write TEXT (N bytes) to OUT with &, < and > (and " in attributes) as
 * entities. */
void highlight_escape(FILE *out, const char *text, size_t n);

/* Write the C source TEXT (N bytes) to OUT as HTML: escaped, with spans
 * around the tokens named above. The caller writes the <pre><code> around
 * it. */
void highlight_c(FILE *out, const char *text, size_t n);

#endif /* NN_HIGHLIGHT_H */
