/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rubric.h: points, weights and late penalties, from a file the TA edits.
 *
 * Without a rubric every test is worth the points its suite gives it (1),
 * every exercise weighs 1, and nothing is late. A rubric file changes that
 * without recompiling anything; one rule a line, '#' starts a comment:
 *
 *   exercise 1 weight 2                       exercise 1 counts double
 *   exercise 1 test dot_multiplies_then_sums 3   that test is worth 3 points
 *   deadline 2026-12-01 23:59                  (UTC; also 2026-12-01T23:59:00Z)
 *   late-penalty-per-day 10                    percent of the total per day late
 *   late-penalty-max 50                        percent, at most (default 100)
 *   submission-times times.csv                 student,time lines (same time
 *                                              format), relative to the rubric
 *
 * Times are ISO 8601: YYYY-MM-DD HH:MM or HH:MM:SS, a space or 'T' between
 * date and time, then 'Z' or an offset from UTC ("+01:00", "-05:00"); UTC
 * without one. A date that is not in the calendar, or anything after the
 * time, is a mistake. The times file is CSV: a name with a comma is quoted,
 * as grades.csv writes it ("\"Doe, Jane\",2026-12-03 10:00+01:00").
 * A late penalty or submission times without a deadline are a mistake too.
 *
 * A submission is late by whole days, rounded up: one minute after the
 * deadline is one day. A student absent from the times file is on time.
 * Mistakes are reported with the file and line ("rubric.txt:3: ...").
 *
 * The grade of an exercise is (points earned) x weight; the total is the sum
 * of the exercises' grades, times (1 - penalty).
 */
#ifndef NNG_RUBRIC_H
#define NNG_RUBRIC_H

#include <stddef.h>
#include <time.h>

#include "state.h"

typedef struct nng_rubric_rule {
  int exercise;          /* the exercise's number */
  char test[96];         /* a test's name; "" for a weight */
  double value;          /* the points of the test, or the exercise's weight */
  int line;              /* where it was written, for messages */
} nng_rubric_rule;

typedef struct nng_rubric_time {
  char student[256];
  time_t when;
} nng_rubric_time;

typedef struct nng_rubric {
  char path[1024];       /* the file it was read from ("" for none) */
  nng_rubric_rule *rules;
  size_t n_rules;
  int has_deadline;
  time_t deadline;
  double per_day;        /* penalty per day late, a fraction */
  double max_penalty;    /* at most, a fraction */
  nng_rubric_time *times;
  size_t n_times;
} nng_rubric;

/* The rubric that changes nothing. */
void nng_rubric_init(nng_rubric *r);

/* Read PATH. 0, or -1 with "PATH:LINE: what is wrong" in WHY. */
int nng_rubric_load(nng_rubric *r, const char *path, char *why, size_t why_size);

/* Every rule names an exercise that exists and, for a test, one of its tests
 * (public, or hidden: HIDDEN[e] for nng_exercises[e], may be NULL). 0, or -1
 * with the file and line of the first rule that does not. */
int nng_rubric_check(const nng_rubric *r, const nng_test *const *hidden, char *why,
                     size_t why_size);

/* Apply the points and weights to S (tests' points, exercises' weights and
 * scores). */
void nng_rubric_apply(const nng_rubric *r, nng_student *s);

/* The fraction of the total a late STUDENT keeps (1 when on time), and the
 * days late (0 when on time). */
double nng_rubric_late_factor(const nng_rubric *r, const char *student, int *days);

void nng_rubric_free(nng_rubric *r);

#endif /* NNG_RUBRIC_H */
