/* report.h: what nngrade tells students and TAs.
 *
 * The report of a submission lists, per exercise, every test with its
 * verdict and points, and for a test that did not pass what was expected,
 * what came back, what the program printed, and a hint. It is plain text
 * that also reads as Markdown, so the same words go to a student's terminal
 * (nngrade check) and into feedback files (nngrade batch).
 */
#ifndef NNG_REPORT_H
#define NNG_REPORT_H

#include <stdio.h>

#include "grade.h"

/* The report of one submission's exercises. */
void nng_report_write(FILE *f, const char *title, const nng_exercise_result *res,
                      size_t n);

/* A CSV header: student, one column per exercise, total. */
void nng_csv_header(FILE *f);

/* One CSV row, one score per exercise of nng_exercises (in that order). */
void nng_csv_row(FILE *f, const char *student, const nng_exercise_result *res,
                 size_t n);

#endif /* NNG_REPORT_H */
