/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.h: what nngrade tells students and TAs.
 *
 * - The report of a submission (nngrade check, and feedback/NAME.md in a
 *   batch) lists, per exercise, every public test with its verdict and
 *   points, and for a test that did not pass what was expected, what came
 *   back, what the program printed, and a hint. Hidden tests show as a count
 *   and a score, unless the TA asks for them in full. Plain text that also
 *   reads as Markdown.
 * - results/NAME.json: the same in Gradescope's results.json schema.
 * - grades.csv: one row per student, a column per exercise and the total.
 * - summary.md: per exercise the mean and a histogram of the scores (a
 *   gnuplot figure), and the tests most students fail.
 */
#ifndef NNG_REPORT_H
#define NNG_REPORT_H

#include <stdio.h>

#include "grade.h"
#include "state.h"

/* How much of the hidden tests a report shows. */
typedef enum nng_hidden_view {
  NNG_HIDDEN_SUMMARY = 0,  /* their number and the points earned */
  NNG_HIDDEN_NAMES,        /* and each one's name and verdict */
  NNG_HIDDEN_FULL          /* and their details, like public tests */
} nng_hidden_view;

/* The report of one submission's exercises. LATE_DAYS and FACTOR describe
 * a late penalty (0 and 1 for none). */
void nng_report_write(FILE *f, const char *title, const nng_exercise_result *res,
                      size_t n, nng_hidden_view hidden, int late_days, double factor);

/* Gradescope's results.json for one submission. */
void nng_results_json(FILE *f, const nng_exercise_result *res, size_t n,
                      nng_hidden_view hidden, int late_days, double factor);

/* A field of CSV, quoted when it holds a comma, a quote or a line break; a
 * field a spreadsheet would take for a formula (=, +, -, @, tab, carriage
 * return) gets a leading apostrophe. */
void nng_csv_field(FILE *f, const char *s);

/* S as a JSON string, quotes included, that is valid UTF-8 whatever S
 * holds: control characters escaped; each maximal subpart of an ill-formed
 * UTF-8 sequence (an overlong form, a surrogate, a code point above
 * U+10FFFF, a sequence cut short, a stray continuation byte) replaced by
 * U+FFFD (written \ufffd), as the Unicode Standard recommends. */
void nng_json_string(FILE *f, const char *s);

#endif /* NNG_REPORT_H */
