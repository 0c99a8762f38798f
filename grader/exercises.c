/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercises.c: looking up the table of exercises (see exercises.h); the
 * table itself, registry.c, is generated from exercises/registry. */
#include <config.h>

#include "exercises.h"

const nng_exercise *
nng_exercise_find(int number)
{
  for (size_t i = 0; i < nng_n_exercises; i++)
    if (nng_exercises[i].number == number)
      return &nng_exercises[i];
  return NULL;
}

size_t
nng_exercise_n_tests(const nng_exercise *ex)
{
  size_t n = 0;
  while (ex->tests[n].name != NULL)
    n++;
  return n;
}
