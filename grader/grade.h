/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grade.h: grading one exercise of one submission.
 *
 * For an exercise, nngrade:
 *   1. copies the student's source (never the header: the grader's own
 *      exercise header is used) into a private scratch folder;
 *   2. compiles it and links it with the exercise's probe, under limits; a
 *      compile or link error ends here, with the compiler's messages;
 *   3. runs every test on its own: a fresh probe, one cmocka test in nngrade
 *      talking to it, the probe killed after; what the test wrote down
 *      (testkit.h) and cmocka's result make the verdict;
 *   4. removes the scratch folder.
 * A test earns its points only when cmocka passed it and nothing went wrong
 * in the probe.
 */
#ifndef NNG_GRADE_H
#define NNG_GRADE_H

#include <stdio.h>

#include "exercises.h"
#include "sandbox.h"
#include "testkit.h"

/* Where nngrade finds what it compiles student code with. */
typedef struct nng_config {
  const char *exercises_dir;  /* holds exNN/exerciseN.h */
  const char *probe_dir;      /* holds libnngrade-exNN.a */
  const char *cc;             /* the C compiler, possibly with options */
  const char *cflags;         /* options to compile student code (GSL's) */
  const char *libs;           /* libraries to link a probe with */
  const char *static_libs;    /* the same, GSL static: for an exercise that
                                 forbids functions (the probe holds none of them) */
  const char *grader_include; /* the grader's headers, for hidden tests */
  const char *lib_include;    /* the library's headers, for hidden tests */
  const char *judge_cflags;   /* options to compile hidden tests (GSL, cmocka) */
  nng_limits test_limits;     /* per test */
  nng_limits compile_limits;  /* per compile or link */
} nng_config;

/* The installed locations, overridden by the environment variables
 * NNGRADE_EXERCISES_DIR, NNGRADE_PROBE_DIR, NNGRADE_INCLUDE_DIR (the
 * grader's headers), NNGRADE_LIB_INCLUDE_DIR and NNGRADE_CC. */
void nng_config_default(nng_config *cfg);

typedef struct nng_test_result {
  char name[96];              /* the test's name */
  char function[64];          /* the student function it is about */
  const char *hint;           /* from the suite (static storage); may be NULL */
  int hidden;                 /* 1 for a hidden test (nngrade batch --hidden) */
  nng_verdict verdict;
  double points;              /* earned */
  double max_points;          /* the test's points (the suite's, or the rubric's) */
  char detail[1024];          /* what went wrong, for the student */
  char *output;               /* what the student's code printed (may be NULL) */
} nng_test_result;

typedef enum nng_exercise_status {
  NNG_EX_GRADED = 0,
  NNG_EX_MISSING,             /* no source file */
  NNG_EX_COMPILE_ERROR,       /* did not compile or link */
  NNG_EX_GRADER_ERROR         /* the grader could not do its work */
} nng_exercise_status;

typedef struct nng_exercise_result {
  const nng_exercise *exercise;
  nng_exercise_status status;
  char source[1024];          /* the file graded, as found */
  char reason[512];           /* for a status other than NNG_EX_GRADED */
  char *compiler_output;      /* warnings or errors (may be NULL) */
  nng_test_result *tests;     /* the public tests, then the hidden ones */
  size_t n_tests;
  double score, max_score;    /* points earned and possible */
  double weight;              /* the exercise's weight in the total (rubric; 1) */
  double seconds;             /* wall time spent grading it */
} nng_exercise_result;

/* Find exercise EX's source in the submission folder DIR: DIR/exerciseN.c
 * or DIR/exNN/exerciseN.c, a regular file. A symbolic link on the way is
 * followed only when it leads to a place inside DIR: "ex01 -> ../bob/ex01"
 * is refused. Returns 1 and the path in PATH (DIR/...) when found; 0 when
 * there is none; -1 when a link leads out of DIR or nowhere, with WHY (for
 * the student's feedback) naming the link. */
int nng_locate_source(const char *dir, const nng_exercise *ex, char *path, size_t n,
                      char *why, size_t why_size);

/* nng_locate_source() without the reason: 1 when found, else 0. */
int nng_find_source(const char *dir, const nng_exercise *ex, char *path, size_t n);

/* Grade EX from SOURCE (NULL: missing) into RES, with its public tests and
 * the HIDDEN ones (NULL-name-terminated; NULL for none). Returns 0, or -1
 * when the grader itself failed (RES says why). Release RES with
 * nng_exercise_result_free(). */
int nng_grade_exercise(const nng_config *cfg, const nng_exercise *ex,
                       const nng_test *hidden, const char *source,
                       nng_exercise_result *res);

/* Prepare RES for exercise EX with N_TESTS tests, none run yet. 0, or -1
 * when out of memory. */
int nng_exercise_result_init(nng_exercise_result *res, const nng_exercise *ex,
                             size_t n_tests);

/* Add up score and max_score from the tests' points. */
void nng_exercise_result_total(nng_exercise_result *res);

void nng_exercise_result_free(nng_exercise_result *res);

#endif /* NNG_GRADE_H */
