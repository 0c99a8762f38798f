/* SPDX-License-Identifier: GPL-3.0-or-later */
/* testkit.h: what a grading test (public or hidden) is written with.
 *
 * A grading test is a cmocka test function that runs in nngrade, never in
 * the student's process. It calls the student's functions through remote
 * stubs (remote-exNN.h), which have the same signatures as the exercise
 * header but run the call in the probe; it computes the expected answer with
 * the nncourse library; and it judges with the NNG_ macros below, which write
 * down what was expected and what came back before they fail the test, so
 * that the feedback can say it. Plain cmocka assertions work too: their
 * message is shown as it is.
 *
 * A remote stub returns the student's status, or NNG_PROBE_FAILED when the
 * probe crashed, hung or misbehaved (the reason is already written down).
 *
 *   static void dot_of_two_vectors(void **state)
 *   {
 *     ... x, y, expected from nn_linalg_dot(x, y, &expected)
 *     double r = NAN;
 *     NNG_REQUIRE_SUCCESS(nng_ex1_dot(x, y, &r), "ex1_dot");
 *     NNG_EXPECT_CLOSE("ex1_dot(x, y)", r, expected, 1e-12);
 *   }
 */
#ifndef NNG_TESTKIT_H
#define NNG_TESTKIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "proto.h"
#include "sandbox.h"

#define NNG_PROBE_FAILED (-2000)

/* How a test ended. */
typedef enum nng_verdict {
  NNG_PASSED = 0,
  NNG_FAILED,         /* a wrong answer */
  NNG_UNIMPLEMENTED,  /* the function still returns GSL_EUNIMPL */
  NNG_CRASHED,        /* the probe died, hung or misbehaved */
  NNG_NOT_RUN         /* the exercise did not compile or was not found */
} nng_verdict;

/* One test of an exercise. */
typedef struct nng_test {
  const char *name;          /* what it checks, as an identifier */
  CMUnitTestFunction run;    /* the cmocka test function */
  const char *function;      /* the student function it is about */
  double points;             /* default weight */
  const char *hint;          /* shown when it fails */
} nng_test;

/* What the running test wrote down about itself. */
typedef struct nng_note {
  nng_verdict verdict;
  char detail[1024];
} nng_note;

/* What the probe saw during the student's call (see probe.h). */
typedef struct nng_watch {
  char function[64];      /* the GSL function that raised an error */
  char reason[160];       /* GSL's reason */
  char file[160];
  int line;
  int gsl_errno;          /* 0: no error */
  int64_t leaked_bytes;   /* allocated during the call and not freed */
  int64_t leaked_blocks;
  int complete;           /* 0: the counts are a lower bound */
} nng_watch;

/* The probe of the running test, and its note (set by the grader). */
nng_probe *nng_current_probe(void);
void nng_set_current(nng_probe *probe, nng_note *note);

/* Send one request to the current probe and read its reply. Returns 0, or
 * NNG_PROBE_FAILED with the reason written down. A reply whose first value
 * is not a status also counts as a probe failure. On success *status holds
 * the status the student's function returned.
 *
 * The reply also says what the probe saw during the call (probe.h). A GSL
 * function the student called with an index out of range (or another
 * invalid argument) fails the test, with GSL's reason, file and line:
 * NNG_PROBE_FAILED, the reason written down. So do bytes left allocated,
 * for a call made through nng_remote_exchange_freeing(). */
int nng_remote_call(const char *function, const nng_msg *req, nng_msg *rep,
                    int *status);

/* For remote stubs: initialise REP, send REQ and read the reply's status,
 * as nng_remote_call(). On a probe failure REQ and REP are released and
 * -1 returned (the stub then returns NNG_PROBE_FAILED). */
int nng_remote_exchange(const char *function, nng_msg *req, nng_msg *rep, int *status);

/* As nng_remote_exchange(), for an exercise whose README asks that every
 * allocation be freed: memory the call allocated and did not free fails the
 * test, and the note says how many bytes. */
int nng_remote_exchange_freeing(const char *function, nng_msg *req, nng_msg *rep,
                                int *status);

/* For remote stubs: the reply's outputs do not parse. Writes that down,
 * releases REQ and REP, and returns NNG_PROBE_FAILED. */
int nng_remote_bad_reply(const char *function, nng_msg *req, nng_msg *rep);

/* Write down a verdict and its detail (printf-style). */
void nng_note_set(nng_verdict verdict, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* The name of a GSL status: "GSL_EBADLEN (matrix, vector lengths are not
 * conformant)". Points into static storage. */
const char *nng_status_name(int status);

int nng_require_success_(int status, const char *function);
int nng_expect_status_(int status, int expected, const char *function,
                       const char *situation);
int nng_expect_close_(const char *what, double actual, double expected, double tol);
int nng_expect_vector_close_(const char *what, const gsl_vector *actual,
                             const gsl_vector *expected, double tol);
int nng_expect_matrix_close_(const char *what, const gsl_matrix *actual,
                             const gsl_matrix *expected, double tol);
int nng_expect_step_close_(const char *what, const gsl_vector *actual,
                           const gsl_vector *expected, const gsl_vector *start,
                           double tol);

/* The running test checks a function that builds on FIRST (ex6_descend
 * takes ex6_step's steps), and the test has just checked FIRST on a simple
 * case: WORKS is 0 when it was wrong. Then a failure of this test begins
 * with "fix FIRST first", instead of blaming the function under test. */
void nng_builds_on(const char *first, int works);

/* Name an input of the running test, shown next to a wrong entry of a
 * vector or matrix answer: its entry at the same place when it has the
 * answer's shape, its row when it has as many rows. At most 4; the
 * test's end forgets them. The data must live until the comparison. */
void nng_show_input(const char *name, const gsl_matrix *M);
void nng_show_input_vector(const char *name, const gsl_vector *v);
int nng_expect_overwritten_(const double *a, size_t n, const char *name, const char *how);
int nng_expect_true_(int ok, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* Test data: n uniform numbers in [lo, hi) from the Mersenne Twister
 * seeded with SEED, the same on every machine. */
void nng_fill_uniform(double *a, size_t n, double lo, double hi, unsigned long seed);

/* n copies of v (a sentinel sent as the value before a call). */
void nng_set_all(double *a, size_t n, double v);

/* 1 when every a[i] is v (NaN counts as equal to NaN): an output an
 * error left untouched. */
int nng_all_equal(const double *a, size_t n, double v);

/* The call succeeded (status GSL_SUCCESS); else the test stops here. */
#define NNG_REQUIRE_SUCCESS(status, function) \
  do { if (nng_require_success_((status), (function)) != 0) _fail(__FILE__, __LINE__); } while (0)
/* The call returned EXPECTED, e.g. GSL_EBADLEN for sizes that do not fit. */
#define NNG_EXPECT_STATUS(status, expected, function, situation) \
  do { if (nng_expect_status_((status), (expected), (function), (situation)) != 0) _fail(__FILE__, __LINE__); } while (0)
/* |actual - expected| <= tol * max(1, |expected|). */
#define NNG_EXPECT_CLOSE(what, actual, expected, tol) \
  do { if (nng_expect_close_((what), (actual), (expected), (tol)) != 0) _fail(__FILE__, __LINE__); } while (0)
/* Entry by entry, as NNG_EXPECT_CLOSE. On a mismatch the note names the
 * signature of the error when there is one (every entry B = 4 times the
 * expected one, minus it, twice or half of it; transposed; shifted by one
 * entry; a single entry wrong), and the inputs at the first wrong entry. */
#define NNG_EXPECT_VECTOR_CLOSE(what, actual, expected, tol) \
  do { if (nng_expect_vector_close_((what), (actual), (expected), (tol)) != 0) _fail(__FILE__, __LINE__); } while (0)
#define NNG_EXPECT_MATRIX_CLOSE(what, actual, expected, tol) \
  do { if (nng_expect_matrix_close_((what), (actual), (expected), (tol)) != 0) _fail(__FILE__, __LINE__); } while (0)
/* A vector that moved from START (a step of descent): the signatures are
 * sought in the move, actual - start against expected - start. */
#define NNG_EXPECT_STEP_CLOSE(what, actual, expected, start, tol) \
  do { if (nng_expect_step_close_((what), (actual), (expected), (start), (tol)) != 0) _fail(__FILE__, __LINE__); } while (0)
#define NNG_EXPECT_TRUE(ok, ...) \
  do { if (nng_expect_true_((ok), __VA_ARGS__) != 0) _fail(__FILE__, __LINE__); } while (0)
/* None of the N entries of the output NAME is NaN. The test filled NAME with
 * NaN before the call, so a NaN left means the student's code added to it
 * instead of writing it (or divided 0 by 0); HOW says how it is written in
 * this exercise (a sentence, or ""). */
#define NNG_EXPECT_OVERWRITTEN(a, n, name, how) \
  do { if (nng_expect_overwritten_((a), (n), (name), (how)) != 0) _fail(__FILE__, __LINE__); } while (0)

#endif /* NNG_TESTKIT_H */
