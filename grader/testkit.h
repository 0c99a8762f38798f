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

/* The probe of the running test, and its note (set by the grader). */
nng_probe *nng_current_probe(void);
void nng_set_current(nng_probe *probe, nng_note *note);

/* Send one request to the current probe and read its reply. Returns 0, or
 * NNG_PROBE_FAILED with the reason written down. A reply whose first value
 * is not a status also counts as a probe failure. On success *status holds
 * the status the student's function returned. */
int nng_remote_call(const char *function, const nng_msg *req, nng_msg *rep,
                    int *status);

/* For remote stubs: initialise REP, send REQ and read the reply's status,
 * as nng_remote_call(). On a probe failure REQ and REP are released and
 * -1 returned (the stub then returns NNG_PROBE_FAILED). */
int nng_remote_exchange(const char *function, nng_msg *req, nng_msg *rep, int *status);

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
int nng_expect_true_(int ok, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* The call succeeded (status GSL_SUCCESS); else the test stops here. */
#define NNG_REQUIRE_SUCCESS(status, function) \
  do { if (nng_require_success_((status), (function)) != 0) _fail(__FILE__, __LINE__); } while (0)
/* The call returned EXPECTED, e.g. GSL_EBADLEN for sizes that do not fit. */
#define NNG_EXPECT_STATUS(status, expected, function, situation) \
  do { if (nng_expect_status_((status), (expected), (function), (situation)) != 0) _fail(__FILE__, __LINE__); } while (0)
/* |actual - expected| <= tol * max(1, |expected|). */
#define NNG_EXPECT_CLOSE(what, actual, expected, tol) \
  do { if (nng_expect_close_((what), (actual), (expected), (tol)) != 0) _fail(__FILE__, __LINE__); } while (0)
#define NNG_EXPECT_VECTOR_CLOSE(what, actual, expected, tol) \
  do { if (nng_expect_vector_close_((what), (actual), (expected), (tol)) != 0) _fail(__FILE__, __LINE__); } while (0)
#define NNG_EXPECT_TRUE(ok, ...) \
  do { if (nng_expect_true_((ok), __VA_ARGS__) != 0) _fail(__FILE__, __LINE__); } while (0)

#endif /* NNG_TESTKIT_H */
