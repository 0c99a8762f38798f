/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state.h: what a batch remembers of each graded student.
 *
 * A batch grades each student in a worker process, which writes everything it
 * found out (per exercise: status, reason, compiler output; per test:
 * verdict, detail, what the program printed) into one state file,
 * OUT/.nngrade/state/NAME.state, written under a temporary name and renamed
 * into place, so that a state file is either complete or absent. Every
 * output (grades.csv, feedback, results, summary) is made from the state
 * files, with the rubric applied at that time. A batch that is interrupted,
 * even by kill -9, therefore resumes by grading only the students without a
 * state file, and its outputs come out the same.
 *
 * The format is text, one record per line, fields separated by tabs, with
 * tab, newline, carriage return and backslash escaped (\t \n \r \\):
 *
 *   nngrade-state 1
 *   student NAME ENTRY
 *   exercise NUMBER STATUS SECONDS REASON SOURCE COMPILER-OUTPUT
 *   test HIDDEN NAME FUNCTION POINTS VERDICT DETAIL OUTPUT
 *   ...
 *   end
 *
 * A test line belongs to the exercise line above it; POINTS is the test's
 * default points (the rubric may change them).
 */
#ifndef NNG_STATE_H
#define NNG_STATE_H

#include <stddef.h>

#include "grade.h"

#define NNG_MAX_EXERCISES 64

/* A student as a batch sees one. */
typedef struct nng_student {
  char name[256];               /* from the entry's name */
  char entry[1024];             /* the folder or archive, as found */
  nng_exercise_result res[NNG_MAX_EXERCISES];  /* in the order graded */
  size_t n;
} nng_student;

/* Write S to PATH atomically (PATH.tmp, then rename). 0, or -1 with errno. */
int nng_state_write(const char *path, const nng_student *s);

/* Read PATH into S. 0; -1 when absent, incomplete or unreadable (a reason
 * in WHY). Hints of tests are looked up in the exercise tables and HIDDEN
 * (hidden[e] is exercise nng_exercises[e]'s hidden tests, may be NULL). */
int nng_state_read(const char *path, nng_student *s, const nng_test *const *hidden,
                   char *why, size_t why_size);

/* Free what S holds. */
void nng_student_free(nng_student *s);

#endif /* NNG_STATE_H */
