/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercises.h: the exercises nngrade knows and their public tests. */
#ifndef NNG_EXERCISES_H
#define NNG_EXERCISES_H

#include <stddef.h>

#include "testkit.h"

typedef struct nng_exercise {
  int number;                  /* the lecture it belongs to */
  const char *title;
  const char *folder;          /* "ex01": its folder under exercises/ */
  const char *source;          /* "exercise1.c": the file the student writes */
  const nng_test *tests;       /* the public tests, ended by one with a NULL name */
  /* Functions the student's file may not call (it is to write them), as
   * space-separated names or prefixes ending in '*': "gsl_blas_* cblas_*".
   * NULL: none. The course library's (nn_*) are never allowed. */
  const char *forbidden;
} nng_exercise;

/* One per line of exercises/registry, in its order (registry.c). */
extern const nng_exercise nng_exercises[];
extern const size_t nng_n_exercises;

/* The exercise with this number, or NULL. */
const nng_exercise *nng_exercise_find(int number);

/* The number of its public tests. */
size_t nng_exercise_n_tests(const nng_exercise *ex);

#endif /* NNG_EXERCISES_H */
